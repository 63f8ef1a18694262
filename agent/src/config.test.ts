import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig, summarizeConfig } from './config.js';

const testdata = join(dirname(fileURLToPath(import.meta.url)), 'config', 'testdata');

/** Each invalid fixture with the exact message check-config prints (blackbox's testdata style). */
const INVALID: Record<string, string> = {
  'invalid-agent-id.yaml': 'invalid-agent-id.yaml:8: agent.id: must be 1-63 of a-z, 0-9, "-", "_"',
  'invalid-batch-max.yaml':
    'invalid-batch-max.yaml:10: batch.maxResults: Too big: expected number to be <=2000',
  'invalid-duplicate-id.yaml':
    'invalid-duplicate-id.yaml:13: checks[1].id: duplicate id "wan-gw" (first at checks[0])',
  'invalid-duplicate-key.yaml':
    'invalid-duplicate-key.yaml:10: not valid YAML: Map keys must be unique (column 1)',
  'invalid-hub-url.yaml':
    'invalid-hub-url.yaml:2: hub.url: expected an mqtt://, mqtts://, ws:// or wss:// URL',
  'invalid-missing-hub.yaml': 'invalid-missing-hub.yaml: hub: required',
  'invalid-option-type.yaml':
    'invalid-option-type.yaml:17: checks[1].options.count: expected number, received string',
  'invalid-tcp-target.yaml':
    'invalid-tcp-target.yaml:12: checks[0].target: expected host:port, with IPv6 addresses in brackets ([::1]:443)',
  'invalid-timeout-too-short.yaml':
    'invalid-timeout-too-short.yaml:13: checks[0].timeoutSeconds: a round with these options takes up to 2.8 s, longer than the timeout of 1 s',
  'invalid-unknown-key.yaml': 'invalid-unknown-key.yaml:5: hub.pasword: unknown key',
  'invalid-unknown-option.yaml':
    'invalid-unknown-option.yaml:14: checks[0].options.tls: unknown key',
  'invalid-unknown-type.yaml':
    'invalid-unknown-type.yaml:11: checks[0].type: unknown probe type "carrier_pigeon" (known: dns, http, icmp, onvif, sip, snmp, tcp, voice)',
};

const fixture = (name: string) => readFileSync(join(testdata, name), 'utf8');

function errorOf(name: string): ConfigError {
  try {
    parseConfig(fixture(name), name);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`${name} was accepted`);
}

describe('config fixtures', () => {
  it('pairs every invalid-*.yaml with its expected message', () => {
    const files = readdirSync(testdata).filter((f) => f.startsWith('invalid-'));
    expect(files.sort()).toEqual(Object.keys(INVALID).sort());
  });

  for (const [name, message] of Object.entries(INVALID)) {
    it(`refuses ${name}`, () => {
      expect(errorOf(name).message).toBe(message);
    });
  }

  it('accepts valid-full.yaml and keeps every setting', async () => {
    const config = await loadConfig(join(testdata, 'valid-full.yaml'));
    expect(config.spool).toEqual({ dir: join(testdata, 'spool'), maxBytes: 2097152 });
    expect(config.batch).toEqual({ intervalSeconds: 2, maxResults: 100 });
    expect([config.concurrency, config.logLevel]).toEqual([4, 'debug']);
    expect(config.checks).toEqual([
      {
        id: 'wan-gw',
        type: 'icmp',
        target: '192.0.2.1',
        intervalSeconds: 10,
        timeoutSeconds: 5,
        options: { count: 5, periodMs: 200, perPingTimeoutMs: 1000, discardFirst: false },
      },
      {
        id: 'wan-gw-v6',
        type: 'icmp',
        target: '2001:db8::1',
        intervalSeconds: 30,
        timeoutSeconds: 8,
        options: { count: 5, periodMs: 200, perPingTimeoutMs: 1000, discardFirst: false },
      },
      {
        id: 'pbx',
        type: 'tcp',
        target: '[2001:db8::10]:5060',
        intervalSeconds: 30,
        timeoutSeconds: 8,
        options: {},
      },
    ]);
    expect(summarizeConfig(config)).toBe('config OK: 3 checks (icmp, tcp)');
  });

  it('fills every default into valid-minimal.yaml', async () => {
    const config = await loadConfig(join(testdata, 'valid-minimal.yaml'));
    expect(config).toMatchObject({
      spool: { dir: join(testdata, 'spool'), maxBytes: 100 * 1024 * 1024 },
      batch: { intervalSeconds: 5, maxResults: 500 },
      concurrency: 8,
      logLevel: 'info',
      checks: [],
    });
    expect(summarizeConfig(config)).toBe('config OK: 0 checks');
  });

  // Inline, not a fixture: prettier --check refuses to parse a file with a YAML syntax error.
  it('refuses broken YAML with its line and column', () => {
    const text = 'hub:\n  url: mqtt://127.0.0.1:1883\n   username: srv-01\n';
    expect(() => parseConfig(text, 'agent.yaml')).toThrow(
      'agent.yaml:2: not valid YAML: Nested mappings are not allowed in compact mappings (column 8)',
    );
  });

  it('lists every issue of a file, one per line', () => {
    const text = fixture('valid-minimal.yaml').replace('password: secret', 'pasword: secret');
    expect(() => parseConfig(text, 'agent.yaml')).toThrow(
      'agent.yaml:2: hub.password: required\nagent.yaml:4: hub.pasword: unknown key',
    );
  });

  it('names a file it cannot read', async () => {
    await expect(loadConfig(join(testdata, 'missing.yaml'))).rejects.toThrow(
      /missing\.yaml: cannot read: ENOENT/,
    );
  });
});
