import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAgentStatus, decodeResultsBatch, probeResult, topics } from '@branchwatch/contract';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };

const agentDir = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(agentDir, 'bin', 'branchwatch-agent.js');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI; `whileRunning` may signal it. Bounded by a kill after `limitMs`. */
function cli(args: string[], whileRunning?: (pid: number) => void, limitMs = 20_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const limit = setTimeout(() => child.kill('SIGKILL'), limitMs);
    if (whileRunning && child.pid) whileRunning(child.pid);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    });
  });
}

const header = (port: number) => `hub:
  url: mqtt://127.0.0.1:${port}
  username: srv-01
  password: secret
agent:
  tenant: acme
  branch: hq
  id: srv-01
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('branchwatch-agent CLI', () => {
  it('prints its version', async () => {
    const ran = await cli(['--version']);
    expect([ran.code, ran.stdout.trim()]).toEqual([0, pkg.version]);
  });

  it('check-config prints the exact problem and exits 1', async () => {
    const file = join(agentDir, 'src/config/testdata/invalid-unknown-key.yaml');
    const ran = await cli(['check-config', file]);
    expect(ran.code).toBe(1);
    expect(ran.stderr.trim()).toBe(`${file}:5: hub.pasword: unknown key`);
  });

  it('check-config summarises a good file and exits 0', async () => {
    const ran = await cli(['check-config', join(agentDir, 'src/config/testdata/valid-full.yaml')]);
    expect([ran.code, ran.stdout.trim()]).toEqual([0, 'config OK: 3 checks (icmp, tcp)']);
  });

  it('exits 2 on a command line it does not understand', async () => {
    const ran = await cli(['probe', '--config', 'x.yaml']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^probe needs --once/);
  });

  it('probe --once --json prints contract results, failing targets included, and exits 0', async () => {
    const file = join(dir, 'probe.yaml');
    await writeFile(
      file,
      `${header(1883)}checks:
  - id: loop-v4
    type: icmp
    target: 127.0.0.1
    options: { count: 3, periodMs: 20, perPingTimeoutMs: 500 }
  - id: closed
    type: tcp
    target: 127.0.0.1:1
`,
    );
    const ran = await cli(['probe', '--once', '--config', file, '--json']);
    expect(ran.code).toBe(0);
    const results = (JSON.parse(ran.stdout) as unknown[]).map((r) => probeResult.parse(r));
    expect(results.map((r) => [r.check, r.status])).toEqual([
      ['loop-v4', 'ok'],
      ['closed', 'failed'],
    ]);
    expect(results[1]!.reason).toBe('connection refused');
  });

  it('run reports to the broker and stops cleanly on SIGTERM', async () => {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const address = { tenant: 'acme', branch: 'hq', agent: 'srv-01' };
    const seqs: number[] = [];
    const statuses: string[] = [];
    let stopAgent: () => void = () => {};
    broker.on('publish', (packet, client) => {
      if (!client) return;
      if (packet.topic === topics.results(address)) {
        const batch = decodeResultsBatch(packet.payload as Buffer);
        if (batch.ok) seqs.push(batch.value.seq);
        if (seqs.length === 2) stopAgent();
      }
      if (packet.topic === topics.status(address)) {
        const status = decodeAgentStatus(packet.payload as Buffer);
        if (status.ok) statuses.push(status.value.state);
      }
    });
    const file = join(dir, 'run.yaml');
    await writeFile(
      file,
      `${header(port)}spool: { dir: ./spool-run }
batch: { intervalSeconds: 0.2 }
checks:
  - id: broker-port
    type: tcp
    target: 127.0.0.1:${port}
    intervalSeconds: 0.1
`,
    );
    try {
      const ran = await cli(['run', '--config', file], (pid) => {
        stopAgent = () => process.kill(pid, 'SIGTERM');
      });
      expect(ran.code).toBe(0);
      expect(seqs.slice(0, 2)).toEqual([0, 1]);
      expect(statuses[0]).toBe('online');
      expect(statuses.at(-1)).toBe('offline');
      expect(ran.stderr).toContain('"msg":"agent stopped"');
    } finally {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
