import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../hub/src/config/config.js';
import { REFERENCE_FILE, renderConfigReference } from '../../scripts/config-reference.js';

// Generated things are committed, and this test fails when they are stale (docs/contributing.md).
describe('docs/config-reference.md', () => {
  it('is what `pnpm docs:config` writes from the schemas today', async () => {
    const committed = fs.readFileSync(REFERENCE_FILE, 'utf8');
    expect(committed, 'stale: run `pnpm docs:config` and commit the result').toBe(
      await renderConfigReference(),
    );
  });

  it('lists every hub setting with its default', async () => {
    const text = await renderConfigReference();
    for (const key of Object.keys(configSchema.shape))
      expect(text).toMatch(new RegExp(`\\| \`${key}\` +\\|`));
    expect(text).toMatch(/\| `BW_MQTTS_PORT` +\| number +\| `8883` +\|/);
    expect(text).toMatch(/\| `spool.maxBytes` +\| number +\| `104857600` +\|/);
  });
});
