import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckConfig } from './config.js';
import { silentLogger } from './log.js';
import { RemoteConfig } from './remote-config.js';

let dir: string;
let applied: CheckConfig[][];
const defaults = { intervalSeconds: 60, timeoutSeconds: 10 };
const make = () =>
  new RemoteConfig({ stateDir: dir, defaults, apply: (c) => applied.push(c), log: silentLogger });
const payload = (revision: number, checks: unknown[]) =>
  Buffer.from(JSON.stringify({ v: 1, revision, checks }));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-remote-config-'));
  applied = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('RemoteConfig', () => {
  it('applies a valid config with the file defaults, reports it and saves it', async () => {
    const remote = make();
    const changed = await remote.receive(
      payload(3, [{ id: 'pbx', type: 'tcp', target: '192.0.2.5:5060', intervalSeconds: 15 }]),
    );
    expect(changed).toBe(true);
    expect(applied).toEqual([
      [
        {
          id: 'pbx',
          type: 'tcp',
          target: '192.0.2.5:5060',
          intervalSeconds: 15,
          timeoutSeconds: 10,
          options: {},
        },
      ],
    ]);
    expect(remote.report()).toEqual({ revision: 3 });
    const saved = JSON.parse(await readFile(join(dir, 'hub-config.json'), 'utf8'));
    expect(saved.revision).toBe(3);
    // The retained config comes again on reconnect: the same revision is not applied twice.
    expect(await remote.receive(payload(3, []))).toBe(false);
    expect(applied).toHaveLength(1);
  });

  it('refuses a bad config whole, keeps the checks in force and says why', async () => {
    const remote = make();
    await remote.receive(payload(1, [{ id: 'pbx', type: 'tcp', target: '192.0.2.5:5060' }]));
    const changed = await remote.receive(
      payload(2, [
        { id: 'gw', type: 'icmp', target: '192.0.2.1', options: { count: 'many' } },
        { id: 'pbx', type: 'tcp', target: 'no-port' },
      ]),
    );
    expect(changed).toBe(true);
    expect(applied).toHaveLength(1);
    const report = remote.report();
    expect(report.revision).toBe(1);
    expect(report.error?.revision).toBe(2);
    expect(report.error?.message).toContain('checks[0].options.count');
    expect(report.error?.message).toContain('checks[1].target');
    // The same refusal again changes nothing; a good config clears the error.
    expect(await remote.receive(payload(2, [{ id: 'x', type: 'bogus', target: 'y' }]))).toBe(true);
    expect(await remote.receive(payload(4, []))).toBe(true);
    expect(remote.report()).toEqual({ revision: 4 });
    expect(applied.at(-1)).toEqual([]);
  });

  it('refuses a payload that breaks the contract', async () => {
    const remote = make();
    expect(await remote.receive(Buffer.from('{"v":1,"revision":7,"checks":"none"}'))).toBe(true);
    expect(remote.report()).toMatchObject({ revision: null, error: { revision: 7 } });
    expect(remote.report().error?.message).toContain('checks');
    expect(await remote.receive(Buffer.from('not json'))).toBe(true);
    expect(remote.report().error).toMatchObject({ revision: 0 });
    expect(applied).toEqual([]);
  });

  it('restores the saved config after a restart', async () => {
    await make().receive(payload(5, [{ id: 'pbx', type: 'tcp', target: '192.0.2.5:5060' }]));
    const restarted = make();
    const checks = await restarted.restore();
    expect(checks?.map((c) => c.id)).toEqual(['pbx']);
    expect(restarted.report()).toEqual({ revision: 5 });
    expect(await make().restore()).toBeDefined();
  });

  it('has nothing to restore on a first start', async () => {
    expect(await make().restore()).toBeUndefined();
  });
});
