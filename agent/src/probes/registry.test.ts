import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { PROBE_TYPES as CONTRACT_TYPES } from '@branchwatch/contract';
import { PROBE_TYPES, probes } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('probe registry', () => {
  it('has a probe for every type, registered under its own type', () => {
    expect([...PROBE_TYPES].sort()).toEqual([...CONTRACT_TYPES].sort());
    for (const type of PROBE_TYPES) expect(probes[type].type).toBe(type);
  });

  for (const type of PROBE_TYPES) {
    it(`${type} has a README.md and a sample.yaml that passes check-config`, async () => {
      const folder = join(here, type);
      expect(existsSync(join(folder, 'README.md'))).toBe(true);
      const config = await loadConfig(join(folder, 'sample.yaml'));
      expect(config.checks.length).toBeGreaterThan(0);
      expect(config.checks.every((check) => check.type === type)).toBe(true);
    });
  }
});
