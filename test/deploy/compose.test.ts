import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../hub/src/config/config.js';
import { REPO } from '../support/processes.js';

// No Docker engine runs on the test machines: the compose file is checked with a YAML parser against
// the rules that matter when it runs.
interface Service {
  image?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(fs.readFileSync(path.join(REPO, 'deploy/compose.yaml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};

describe('deploy/compose.yaml', () => {
  it('has the hub, TimescaleDB and an optional Mosquitto', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['db', 'hub', 'mosquitto']);
    expect(compose.services.db!.image).toMatch(/^timescale\/timescaledb:/);
    expect(compose.services.mosquitto!.profiles).toEqual(['mosquitto']);
    expect(compose.services.hub!.profiles).toBeUndefined();
  });

  it('pins every image to a version tag', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image, name).toMatch(/^[\w./-]+:\d[\w.-]*$/);
    }
  });

  it('gives the hub only settings its config loader knows', () => {
    const known = new Set(Object.keys(configSchema.shape));
    const keys = Object.keys(compose.services.hub!.environment ?? {});
    expect(keys.filter((k) => !known.has(k))).toEqual([]);
    expect(keys).toContain('DATABASE_URL');
    expect(compose.services.hub!.depends_on).toEqual({ db: { condition: 'service_healthy' } });
  });

  it('has a healthcheck on every service and declares every named volume', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test[0], name).toBe('CMD');
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/')) {
          expect(compose.volumes, `${name}: ${source}`).toHaveProperty(source);
        }
      }
    }
  });
});
