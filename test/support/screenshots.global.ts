import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    screenshotDir: string;
  }
}

/**
 * Where this run's browser tests save their screenshots: `$BW_TEST_ARTIFACTS/web` (the CI's
 * artifacts), else a folder of this run's own under the temp folder, so that runs of other
 * people on the same machine do not overwrite them. Made once; kept after the run, to look at.
 */
export function screenshotFolder(artifacts: string | undefined, tmp = os.tmpdir()): string {
  if (artifacts) {
    const dir = path.join(artifacts, 'web');
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  return mkdtempSync(path.join(tmp, 'bw-web-screenshots-'));
}

export default function setup(project: TestProject) {
  const dir = screenshotFolder(process.env.BW_TEST_ARTIFACTS);
  project.provide('screenshotDir', dir);
  console.log(`Browser tests' screenshots of this run: ${dir}`);
}
