import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeUdpPort, startSnmpd, type Snmpd } from '../../../../test/peers/snmpd.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '../../../bin/branchwatch-agent.js');

/** Runs the real CLI, killed after 20 s at most. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const limit = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    });
  });
}

let snmpd: Snmpd;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-snmp-cli-'));
  snmpd = await startSnmpd({
    sysName: 'bw-cli-switch',
    users: [
      {
        name: 'bwmon',
        authProtocol: 'SHA',
        authKey: 'auth-secret-1',
        privProtocol: 'AES',
        privKey: 'priv-secret-1',
      },
    ],
  });
});
afterAll(async () => {
  await snmpd?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('branchwatch-agent probe --once with snmp checks', () => {
  it('polls a real snmpd over v2c and v3 and reports a dead port as a timeout', async () => {
    const file = join(dir, 'agent.yaml');
    await writeFile(
      file,
      `hub: { url: 'mqtt://127.0.0.1:1883', username: srv-01, password: secret }
agent: { tenant: acme, branch: hq, id: srv-01 }
checks:
  - id: sw-v2c
    type: snmp
    target: 127.0.0.1
    options: { community: public, port: ${snmpd.port}, interfaces: [lo] }
  - id: sw-v3
    type: snmp
    target: 127.0.0.1
    options:
      version: '3'
      port: ${snmpd.port}
      user: { name: bwmon, authKey: auth-secret-1, privKey: priv-secret-1 }
  - id: sw-gone
    type: snmp
    target: 127.0.0.1
    timeoutSeconds: 1
    options: { port: ${await freeUdpPort()} }
`,
    );
    const ran = await cli(['probe', '--once', '--config', file, '--json']);
    expect(ran.code).toBe(0);
    const results = (JSON.parse(ran.stdout) as unknown[]).map((r) => probeResult.parse(r));
    expect(results.map((r) => [r.check, r.status, r.reason])).toEqual([
      ['sw-v2c', 'ok', undefined],
      ['sw-v3', 'ok', undefined],
      ['sw-gone', 'failed', 'timeout after 1s'],
    ]);
    const v2c = results[0]!;
    if (v2c.type !== 'snmp') throw new Error('not an snmp result');
    expect(v2c.system?.sysName).toBe('bw-cli-switch');
    expect(v2c.interfaces?.map((i) => [i.name, i.operStatus])).toEqual([['lo', 'up']]);
  });
});
