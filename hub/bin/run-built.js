// Runs one entry point of the hub's build (hub/dist, made by `pnpm build`; `bin/branchwatch-hub`
// makes it when it is stale, and the tarball carries it), with stack traces mapped to the
// TypeScript sources through the source maps beside it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** @param {string} entry */
export async function runBuilt(entry) {
  const file = new URL(`../dist/${entry}.js`, import.meta.url);
  if (!existsSync(file)) {
    console.error(`${fileURLToPath(file)} is missing: build the hub first (pnpm build hub)`);
    process.exit(1);
  }
  process.setSourceMapsEnabled(true);
  await import(file.href);
}
