import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
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

describe('pnpm agent', () => {
  it('runs the CLI from the repository root, with or without a `--` before the command', async () => {
    const root = dirname(agentDir);
    for (const args of [['--version'], ['--', '--version']]) {
      const ran = spawnSync('pnpm', ['--silent', 'agent', ...args], {
        cwd: root,
        encoding: 'utf8',
      });
      expect([args, ran.status, ran.stdout.trim()]).toEqual([args, 0, pkg.version]);
    }
    const help = spawnSync('pnpm', ['--silent', 'agent', 'enroll', '--help'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect([help.status, help.stdout.split('\n')[0]]).toEqual([
      0,
      'Usage: branchwatch-agent enroll --hub URL --token TOKEN [--config FILE] [--name NAME] [--force]',
    ]);
    // Three runs of pnpm, which itself starts Node and the CLI: 8.5 s each at a load of 16, where
    // the default 30 s was too short once.
  }, 120_000);
});

describe('branchwatch-agent --help', () => {
  const commands: Record<string, string[]> = {
    run: ['--config FILE'],
    'check-config': ['--config FILE'],
    probe: ['--once', '--config FILE', '--json'],
    enroll: ['--hub URL', '--token TOKEN', '--config FILE', '--name NAME', '--force'],
    'update-guard': ['--bin PATH'],
  };

  it('lists every command and what each exit code means', async () => {
    const ran = await cli(['--help']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^Usage: branchwatch-agent <command> \[options\]\n/);
    for (const name of Object.keys(commands)) expect(ran.stdout).toContain(`\n  ${name} `);
    const exits = ran.stdout.slice(ran.stdout.indexOf('Exit codes:'));
    for (const code of [0, 1, 2, 70, 75, 130])
      expect(exits).toMatch(new RegExp(`\n  ${code} +\\S`));
    // Fits a terminal of 80 columns.
    expect(ran.stdout.split('\n').filter((l) => l.length > 80)).toEqual([]);
  });

  it.each(Object.entries(commands))(
    '%s --help prints its usage, its options and its exit codes, and exits 0',
    async (name, options) => {
      const ran = await cli([name, '--help']);
      expect([ran.code, ran.stderr]).toEqual([0, '']);
      expect(ran.stdout).toMatch(new RegExp(`^Usage: branchwatch-agent ${name}( |\n)`));
      for (const option of [...options, '--help']) expect(ran.stdout).toContain(option);
      const exits = ran.stdout.slice(ran.stdout.indexOf('\nExit codes:\n'));
      expect(exits).toMatch(/\n {2}0 +\S/);
      expect(exits).toMatch(/\n {2}2 +the command line is wrong/);
      // The same through `help COMMAND` and `-h`.
      expect((await cli(['help', name])).stdout).toBe(ran.stdout);
      expect((await cli([name, '-h'])).stdout).toBe(ran.stdout);
    },
  );

  it.each(Object.keys(commands))(
    "%s with an unknown option names it, prints that command's usage and exits 2",
    async (name) => {
      const ran = await cli([name, '--bogus']);
      expect(ran.code).toBe(2);
      expect(ran.stderr).toMatch(
        new RegExp(`^Unknown option '--bogus'\n\nUsage: branchwatch-agent ${name}[ \n]`),
      );
    },
  );
});

describe('branchwatch-agent exit codes', () => {
  it('2: no command, an unknown command, help for an unknown command', async () => {
    for (const args of [[], ['frobnicate'], ['help', 'frobnicate'], ['check-config', 'a', 'b']]) {
      const ran = await cli(args);
      expect([args, ran.code]).toEqual([args, 2]);
      expect(ran.stderr).toContain('Usage: branchwatch-agent');
    }
  });

  it('1: run, probe and check-config with a config file that does not exist', async () => {
    const missing = join(dir, 'missing.yaml');
    for (const args of [
      ['run', '--config', missing],
      ['probe', '--once', '--config', missing],
      ['check-config', missing],
    ]) {
      const ran = await cli(args);
      expect([args[0], ran.code]).toEqual([args[0], 1]);
      expect(ran.stderr).toContain(`${missing}: cannot read: ENOENT`);
    }
  });

  it('1: enroll when the hub cannot be reached, and the config is left alone', async () => {
    const file = join(dir, 'enrolled.yaml');
    const ran = await cli([
      'enroll',
      '--hub',
      'http://127.0.0.1:1',
      '--token',
      'bw_enroll_x',
      '--config',
      file,
    ]);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/^enroll: cannot reach the hub at http:\/\/127\.0\.0\.1:1/);
    expect(existsSync(file)).toBe(false);
  });

  it('0: update-guard, whatever it finds, so that the start goes ahead', async () => {
    const ran = await cli(['update-guard', '--bin', join(dir, 'no-such-binary')]);
    expect([ran.code, ran.stderr]).toEqual([0, '']);
  });

  it('75: run asks for a restart when a new version does not connect in time', async () => {
    // A fresh update whose first start is under way (the guard let it through), and a hub that
    // cannot be reached: after healthySeconds the agent exits 75 for the guard to roll back.
    const bin = join(dir, 'updated-agent');
    await writeFile(bin, '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(
      `${bin}.update.json`,
      JSON.stringify({ from: '1.0.0', to: '1.1.0', starts: 1, installedAt: new Date() }),
    );
    const file = join(dir, 'update.yaml');
    await writeFile(
      file,
      `${header(1)}spool: { dir: ./spool-update }
update: { url: 'http://127.0.0.1:1', binary: '${bin}', publicKey: unused, healthySeconds: 5 }
`,
    );
    const ran = await cli(['run', '--config', file]);
    expect(ran.code).toBe(75);
    expect(ran.stderr).toContain('update did not come up: not connected to the hub');
  });

  it('130: a second SIGTERM cuts the clean stop short', async () => {
    // A broker that accepts the CONNECT and then never acknowledges anything: the clean stop
    // waits for the offline status to be acknowledged, and the second signal comes meanwhile.
    const sockets = new Set<Socket>();
    let connected: () => void = () => {};
    const published = new Promise<void>((resolve) => (connected = resolve));
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (data) => {
        if (data[0] === 0x10) socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNACK 0
        if (data.includes('/status')) connected();
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const file = join(dir, 'silent-broker.yaml');
    await writeFile(file, `${header(port)}spool: { dir: ./spool-silent }\n`);
    try {
      const ran = await cli(['run', '--config', file], (pid) => {
        void published.then(async () => {
          process.kill(pid, 'SIGTERM');
          await new Promise((r) => setTimeout(r, 300));
          process.kill(pid, 'SIGTERM');
        });
      });
      expect(ran.code).toBe(130);
      expect(ran.stderr).toContain('second signal: exiting without a clean stop');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
