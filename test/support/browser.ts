import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (scripts/install-test-deps.sh); Playwright cannot download browsers here. */
export const CHROMIUM = process.env.BW_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** A headless Chromium with a fresh profile; close it with `close()`. */
export async function launchBrowser(): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'bw-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // Root cannot use Chromium's sandbox; these flags keep it off the network it may not reach.
    chromiumSandbox: false,
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close();
      await fs.rm(profile, { recursive: true, force: true });
    },
  };
}
