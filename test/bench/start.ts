/**
 * Start benchmark (`pnpm bench:start [-- --later 3 --idle 20]`), not part of `pnpm test`.
 *
 * Runs the README's start command, `bin/branchwatch-hub`, as a person does: a first start on
 * an empty data folder (the embedded PostgreSQL cluster is created, every migration runs) and
 * then `--later` starts on the same data. For each it prints the wall time from the command to
 * the "hub is up" line and the hub's own figure (from its process start), then, after `--idle`
 * seconds, the resident memory of every process the command runs: the hub (the script execs
 * node, so the process started is the hub itself) and each process of the embedded PostgreSQL
 * (postmaster, its background processes, the hub's connections). Each start is stopped with a
 * Ctrl-C (SIGINT to its process group) and must
 * exit 0. The builds are made first (`node scripts/build.mjs --if-stale`), so the figures are
 * those of a start with nothing to rebuild; a rebuild of the web UI adds its own time.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freeLoopbackPort } from '@branchwatch/hub';
import { buildIfStale, REPO } from '../support/processes.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    later: { type: 'string', default: '3' },
    idle: { type: 'string', default: '20' },
  },
});

interface Memory {
  pid: number;
  name: string;
  rssKiB: number;
  anonKiB: number;
}

function memoryOf(pid: number): Memory {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)![1]);
  const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const name = cmdline[0]!.endsWith('/postgres') ? 'postgres (postmaster)' : cmdline.join(' ');
  return { pid, name: name.slice(0, 60), rssKiB: field('VmRSS'), anonKiB: field('RssAnon') };
}

function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
  return text ? text.split(' ').map(Number) : [];
}

async function startOnce(label: string, dataDir: string, idleSeconds: number) {
  const env = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME ?? dataDir,
    npm_config_update_notifier: 'false',
    BW_DATA_DIR: dataDir,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: String(await freeLoopbackPort()),
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: String(await freeLoopbackPort()),
    BW_ADMIN_PASSWORD: 'bench-start-admin-password',
  };
  const started = performance.now();
  const child = spawn('bin/branchwatch-hub', [], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const upAfter = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Branchwatch hub is up')) {
        clearInterval(timer);
        resolve((performance.now() - started) / 1000);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`bin/branchwatch-hub exited ${child.exitCode}:\n${output}`));
      }
    }, 20);
  });
  const ownFigure = /\(started in ([\d.]+) s\)/.exec(output)?.[1] ?? '?';
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));

  const postmasterPid = Number(
    fs.readFileSync(path.join(dataDir, 'postgres/postmaster.pid'), 'utf8').split('\n')[0],
  );
  const processes = [child.pid!, postmasterPid, ...childrenOf(postmasterPid)].map(memoryOf);
  process.kill(-child.pid!, 'SIGINT');
  const code = await exited;
  if (code !== 0) throw new Error(`bin/branchwatch-hub exited ${code} after Ctrl-C:\n${output}`);

  console.log(
    `${label}: up after ${upAfter.toFixed(2)} s from \`bin/branchwatch-hub\` (the hub: ${ownFigure} s from its process start)`,
  );
  for (const p of processes) {
    console.log(
      `  ${(p.rssKiB / 1024).toFixed(1).padStart(6)} MiB RSS (${(p.anonKiB / 1024).toFixed(1)} MiB anonymous)  ${p.name}`,
    );
  }
  const total = processes.reduce((sum, p) => sum + p.rssKiB, 0) / 1024;
  console.log(`  total RSS ${total.toFixed(0)} MiB (PostgreSQL's shared buffers count in each)`);
}

buildIfStale('web', 'hub');
const work = await mkdtemp(path.join(tmpdir(), 'bw-bench-start-'));
// As root, the embedded PostgreSQL runs as `postgres`, which must reach its data folder.
fs.chmodSync(work, 0o755);
try {
  const dataDir = path.join(work, 'data');
  await startOnce('first start (empty data folder)', dataDir, Number(args.idle));
  for (let i = 1; i <= Number(args.later); i++) {
    await startOnce(`later start ${i}`, dataDir, Number(args.idle));
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
