import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@branchwatch/contract';
import { connectDatabase, freeLoopbackPort, type Database } from '@branchwatch/hub';
import { hashPassword } from '../../hub/src/identity/password.js';
import { batch, icmpResult, tcpResult } from '../support/batches.js';
import { ApiClient, waitFor } from '../support/http.js';
import { connectAgent, publish, startTestHub, type TestHub } from '../support/hub.js';
import { metric } from '../support/metrics.js';

// Results exported with @influxdata/influxdb-client to VictoriaMetrics (Debian), which takes
// InfluxDB line protocol, and read back through its export API.
let t: TestHub;
let db: Database;
let vm: ChildProcess;
let vmUrl: string;
let storage: string;
let agent: MqttClient;
const address = { tenant: 'default', branch: 'tabriz', agent: 'srv-07' };

interface Series {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

async function exported(match: string): Promise<Series[]> {
  const res = await fetch(`${vmUrl}/api/v1/export?match[]=${encodeURIComponent(match)}`);
  const text = await res.text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Series);
}

beforeAll(async () => {
  storage = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-vm-'));
  const port = await freeLoopbackPort();
  vmUrl = `http://127.0.0.1:${port}`;
  vm = spawn(
    'victoria-metrics',
    [
      `-storageDataPath=${storage}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      '-retentionPeriod=100y',
      '-search.latencyOffset=0s',
      '-search.disableCache',
    ],
    { stdio: 'ignore' },
  );
  await waitFor('VictoriaMetrics', async () =>
    (await fetch(`${vmUrl}/health`).catch(() => undefined))?.ok ? true : undefined,
  );
  t = await startTestHub({
    BW_INFLUX_URL: vmUrl,
    BW_INFLUX_TOKEN: 'unused-by-victoria-metrics',
    BW_INFLUX_ORG: 'bw',
    BW_INFLUX_BUCKET: 'results',
    BW_INFLUX_FLUSH_MS: '200',
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  const tenantId = (await db('tenants').first('id')).id;
  await db('users').insert({
    username: 'ops',
    role: 'tenant_admin',
    tenant_id: tenantId,
    password_hash: await hashPassword('password-123'),
  });
  const ops = new ApiClient(t.api.baseUrl);
  await ops.login('ops', 'password-123');
  const issued = await ops.createAgent(address.branch, address.agent);
  agent = await connectAgent(t.mqttUrl, issued.credentials);
}, 120_000);

afterAll(async () => {
  agent?.end(true);
  await db?.destroy();
  await t?.stop();
  if (vm && vm.exitCode === null) {
    const exited = new Promise((resolve) => vm.once('exit', resolve));
    vm.kill('SIGTERM');
    await exited;
  }
  if (storage) fs.rmSync(storage, { recursive: true, force: true });
});

describe('InfluxDB export', () => {
  it('writes each accepted result as a point per probe type with tags and numeric fields', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const later = new Date(at.getTime() + 30_000);
    await publish(
      agent,
      topics.results(address),
      JSON.stringify(
        batch(address.agent, 1, [
          icmpResult('gw-ping', at, 10, 23.5),
          icmpResult('gw-ping', later, 100),
          tcpResult('erp', at, true),
        ]),
      ),
    );
    // A redelivered batch is stored once and exported once.
    await publish(
      agent,
      topics.results(address),
      JSON.stringify(batch(address.agent, 1, [icmpResult('gw-ping', at, 10, 23.5)])),
    );

    const loss = await waitFor('bw_icmp_loss in VictoriaMetrics', async () => {
      const series = await exported('bw_icmp_loss');
      return series.length && series[0]!.values.length === 2 ? series : undefined;
    });
    expect(loss).toHaveLength(1);
    expect(loss[0]!.metric).toMatchObject({
      __name__: 'bw_icmp_loss',
      tenant: 'default',
      branch: 'tabriz',
      agent: 'srv-07',
      check: 'gw-ping',
    });
    expect(loss[0]!.timestamps).toEqual([at.getTime(), later.getTime()]);
    expect(loss[0]!.values).toEqual([10, 100]);

    const median = await exported('bw_icmp_median');
    // The round without replies has no median: the field is left out, not written as 0.
    expect(median[0]!.values).toEqual([23.5]);
    const ok = await exported('bw_icmp_ok');
    expect(ok[0]!.values).toEqual([1, 0]);
    const connect = await waitFor('bw_tcp_connect', async () => {
      const s = await exported('bw_tcp_connect');
      return s.length ? s : undefined;
    });
    expect(connect[0]!.metric).toMatchObject({ check: 'erp', agent: 'srv-07' });
    expect(connect[0]!.values).toEqual([0.3]);
    expect(await metric(t.api.baseUrl, 'bw_notify_influx_points_total{outcome="written"}')).toBe(3);
  });
});
