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
const fileCheck = (id: string): CheckConfig => ({
  id,
  type: 'tcp',
  target: '192.0.2.9:22',
  intervalSeconds: 30,
  timeoutSeconds: 10,
  options: {},
});
const make = (fileChecks: CheckConfig[] = []) =>
  new RemoteConfig({
    stateDir: dir,
    defaults,
    fileChecks,
    apply: (c) => applied.push(c),
    log: silentLogger,
  });
const payload = (revision: number, checks: unknown[]) =>
  Buffer.from(JSON.stringify({ v: 1, revision, checks }));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-remote-config-'));
  applied = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('RemoteConfig', () => {
  it("runs the hub's checks beside the file's, reports both and saves the hub config", async () => {
    const remote = make([fileCheck('ssh'), fileCheck('web')]);
    expect(remote.checks().map((c) => c.id)).toEqual(['ssh', 'web']);
    expect(remote.report()).toEqual({
      revision: null,
      checks: [
        { id: 'ssh', source: 'file', intervalSeconds: 30 },
        { id: 'web', source: 'file', intervalSeconds: 30 },
      ],
      defaults,
    });
    const changed = await remote.receive(
      payload(3, [{ id: 'pbx', type: 'tcp', target: '192.0.2.5:5060', intervalSeconds: 15 }]),
    );
    expect(changed).toBe(true);
    expect(applied).toEqual([
      [
        fileCheck('ssh'),
        fileCheck('web'),
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
    expect(remote.report()).toMatchObject({
      revision: 3,
      checks: [
        { id: 'ssh', source: 'file' },
        { id: 'web', source: 'file' },
        { id: 'pbx', source: 'hub', intervalSeconds: 15 },
      ],
    });
    const saved = JSON.parse(await readFile(join(dir, 'hub-config.json'), 'utf8'));
    expect(saved.revision).toBe(3);
    // The retained config comes again on reconnect: the same revision is not applied twice.
    expect(await remote.receive(payload(3, []))).toBe(false);
    expect(applied).toHaveLength(1);
  });

  it('lets a hub check replace the file check of the same id, and gives it back on removal', async () => {
    const remote = make([fileCheck('ssh')]);
    await remote.receive(payload(1, [{ id: 'ssh', type: 'tcp', target: '192.0.2.7:2222' }]));
    expect(applied.at(-1)?.map((c) => [c.id, c.target])).toEqual([['ssh', '192.0.2.7:2222']]);
    expect(remote.report().checks).toEqual([
      { id: 'ssh', source: 'hub', intervalSeconds: 60, replacesFile: true },
    ]);
    await remote.receive(payload(2, []));
    expect(applied.at(-1)).toEqual([fileCheck('ssh')]);
    expect(remote.report().checks).toEqual([{ id: 'ssh', source: 'file', intervalSeconds: 30 }]);
  });

  it('refuses a bad check alone, runs the good ones and says why', async () => {
    const remote = make([fileCheck('ssh')]);
    const changed = await remote.receive(
      payload(2, [
        { id: 'gw', type: 'icmp', target: '999.1.1.1' },
        { id: 'cam', type: 'icmp', target: '192.0.2.1', options: { count: 'many' } },
        { id: 'pbx', type: 'tcp', target: '192.0.2.5:5060' },
        { id: 'pbx', type: 'tcp', target: '192.0.2.6:5060' },
        { id: 'fax', type: 'telex', target: 'x' },
      ]),
    );
    expect(changed).toBe(true);
    expect(applied.at(-1)?.map((c) => c.id)).toEqual(['ssh', 'pbx']);
    const report = remote.report();
    expect(report.revision).toBe(2);
    expect(report.error).toBeUndefined();
    expect(report.refused).toEqual([
      { id: 'gw', message: 'target: "999.1.1.1" is not a valid IPv4 address' },
      { id: 'cam', message: 'options.count: expected number, received string' },
      { id: 'pbx', message: 'id: duplicate id "pbx"' },
      {
        id: 'fax',
        message:
          'type: unknown probe type "telex" (known: dns, http, icmp, onvif, sip, snmp, tcp, voice)',
      },
    ]);
    // A later good config clears the refusals.
    expect(await remote.receive(payload(4, []))).toBe(true);
    expect(remote.report().refused).toBeUndefined();
    expect(applied.at(-1)?.map((c) => c.id)).toEqual(['ssh']);
  });

  it('refuses a payload that breaks the contract and keeps the checks in force', async () => {
    const remote = make([fileCheck('ssh')]);
    expect(await remote.receive(Buffer.from('{"v":1,"revision":7,"checks":"none"}'))).toBe(true);
    expect(remote.report()).toMatchObject({ revision: null, error: { revision: 7 } });
    expect(remote.report().error?.message).toContain('checks');
    expect(await remote.receive(Buffer.from('not json'))).toBe(true);
    expect(remote.report().error).toMatchObject({ revision: 0 });
    expect(applied).toEqual([]);
    expect(remote.checks().map((c) => c.id)).toEqual(['ssh']);
  });

  it('restores the saved hub config after a restart, beside the file checks', async () => {
    await make().receive(payload(5, [{ id: 'pbx', type: 'tcp', target: '192.0.2.5:5060' }]));
    const restarted = make([fileCheck('ssh')]);
    await restarted.restore();
    expect(restarted.checks().map((c) => c.id)).toEqual(['ssh', 'pbx']);
    expect(restarted.report().revision).toBe(5);
  });

  it('has nothing to restore on a first start', async () => {
    const remote = make([fileCheck('ssh')]);
    await remote.restore();
    expect(remote.checks().map((c) => c.id)).toEqual(['ssh']);
    expect(remote.report().revision).toBeNull();
  });
});
