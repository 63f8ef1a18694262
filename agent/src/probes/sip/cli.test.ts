import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type Kamailio } from '../../../../test/peers/kamailio.js';

const bin = fileURLToPath(new URL('../../../bin/branchwatch-agent.js', import.meta.url));

/** Runs the real CLI, bounded by a kill after `limitMs`. */
function cli(args: string[], limitMs = 30_000): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout });
    });
  });
}

describe('branchwatch-agent probe --once with sip and voice checks', () => {
  let k: Kamailio;
  let dir: string;
  beforeAll(async () => {
    k = await startKamailio();
    dir = await mkdtemp(join(tmpdir(), 'bw-sip-cli-'));
  }, 30_000);
  afterAll(async () => {
    await k?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints contract results of an OPTIONS ping, a REGISTER and a voice burst', async () => {
    const target = `${k.host}:${k.port}`;
    const file = join(dir, 'agent.yaml');
    await writeFile(
      file,
      `hub: { url: 'mqtt://127.0.0.1:1883', username: srv-01, password: secret }
agent: { tenant: acme, branch: hq, id: srv-01 }
checks:
  - id: pbx-ping
    type: sip
    target: ${target}
    timeoutSeconds: 5
  - id: pbx-register
    type: sip
    target: ${target}
    timeoutSeconds: 5
    options: { method: REGISTER, transport: tcp, username: ${k.user}, password: ${k.password} }
  - id: pbx-voice
    type: voice
    target: ${target}
    timeoutSeconds: 5
    options: { count: 20, replyTimeoutMs: 500 }
`,
    );
    const ran = await cli(['probe', '--once', '--config', file, '--json']);
    expect(ran.code).toBe(0);
    const results = (JSON.parse(ran.stdout) as unknown[]).map((r) => probeResult.parse(r));
    const byCheck = new Map(results.map((r) => [r.check, r]));
    expect(byCheck.get('pbx-ping')).toMatchObject({
      type: 'sip',
      status: 'ok',
      fields: { code: 200 },
      sip: { method: 'OPTIONS', phrase: 'Keepalive' },
    });
    expect(byCheck.get('pbx-register')).toMatchObject({
      status: 'ok',
      fields: { code: 200, expires: 60 },
      sip: { registration: 'registered', unregistered: true, transport: 'tcp' },
    });
    expect(byCheck.get('pbx-voice')).toMatchObject({
      type: 'voice',
      status: 'ok',
      fields: { sent: 20, received: 20, loss: 0 },
    });
  });
});
