import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The hub package's folder, the one with its package.json: `hub/` in a checkout and in the
 * tarball. Found from this module's own place, which is `hub/src/core/` when the sources run
 * (tests) and `hub/dist/` when the build runs, so that paths beside the package (the web UI in
 * `../web/dist`) resolve the same way from both.
 */
export const HUB_PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The hub's version, from its package.json. */
export function hubVersion(): string {
  const file = path.join(HUB_PACKAGE_ROOT, 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
