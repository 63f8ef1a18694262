#!/usr/bin/env node
// The agent from a checkout: runs its build (agent/dist, made by `pnpm build agent`; `pnpm agent`
// makes it when it is stale), with stack traces mapped to the TypeScript sources. Releases are
// the single executable (agent/build/build-sea.mjs), bundled from the same sources.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(file)) {
  console.error(`${fileURLToPath(file)} is missing: build the agent first (pnpm build agent)`);
  process.exit(1);
}
process.setSourceMapsEnabled(true);
await import(file.href);
