// Writes docs/openapi.json from the route schemas (`pnpm docs:openapi`). The file is committed;
// hub/src/http/openapi/openapi.test.ts fails when it is stale (docs/contributing.md: generated things are
// committed and CI fails when stale).
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { generateOpenApiDocument } from '../hub/src/app/openapi-document.js';

export const OPENAPI_FILE = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));

/** The document as committed: formatted as `pnpm check` expects. */
export async function renderOpenApiDocument(): Promise<string> {
  const options = (await prettier.resolveConfig(OPENAPI_FILE)) ?? {};
  return prettier.format(JSON.stringify(generateOpenApiDocument()), {
    ...options,
    filepath: OPENAPI_FILE,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(OPENAPI_FILE, await renderOpenApiDocument());
  console.log(`wrote ${OPENAPI_FILE}`);
}
