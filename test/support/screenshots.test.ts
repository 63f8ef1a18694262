import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { screenshotFolder } from './screenshots.global.js';
import { screenshotDir } from './web-page.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bw-screenshot-folders-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the browser tests’ screenshot folder', () => {
  it('is a new folder of each run’s own without BW_TEST_ARTIFACTS', () => {
    const first = screenshotFolder(undefined, tmp);
    const second = screenshotFolder(undefined, tmp);
    expect(first).not.toBe(second);
    expect(path.dirname(first)).toBe(tmp);
    expect(existsSync(first) && existsSync(second)).toBe(true);
  });

  it('is web/ in BW_TEST_ARTIFACTS when it is set', () => {
    const artifacts = path.join(tmp, 'artifacts');
    expect(screenshotFolder(artifacts, tmp)).toBe(path.join(artifacts, 'web'));
    expect(existsSync(path.join(artifacts, 'web'))).toBe(true);
  });

  it('is the one the run made, for every browser test of it', () => {
    expect(screenshotDir).toBe(inject('screenshotDir'));
    expect(existsSync(screenshotDir)).toBe(true);
    if (!process.env.BW_TEST_ARTIFACTS)
      expect(path.basename(screenshotDir)).toMatch(/^bw-web-screenshots-\w+$/);
  });
});
