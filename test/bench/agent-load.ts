/**
 * Agent load benchmark (`pnpm bench:agent [-- --duration 180]`), not part of `pnpm test`.
 *
 * Runs the real agent (`agent/bin/branchwatch-agent.js run`) inside a network namespace of its
 * own with 500 icmp checks (20 pings per round, one round a minute each) and 100 tcp checks
 * (every 10 s) against targets inside that namespace, and prints the agent's CPU (% of one core),
 * its fping children's CPU, and its memory sampled from /proc: RSS, split into RssAnon (private:
 * heap, stacks, malloc) and RssFile (mapped files: the executable itself, shared libraries).
 * The hub is not needed: the agent points at a closed port and keeps its batches in the spool,
 * which is part of the work measured. Needs root (namespaces).
 *
 * Targets: 127.1.x.y, which the namespace's loopback answers as a whole /8, and a TCP listener
 * on 127.2.0.1:9000 in the same namespace. Nothing leaves the namespace.
 *
 * Options: --duration SECONDS (default 180), --icmp N (500), --tcp N (100),
 * --concurrency N (64), --sample SECONDS (5), --warmup SECONDS (20), --binary FILE (run the
 * single executable instead of the agent's build in agent/dist).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { buildIfStale } from '../support/processes.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const AGENT_BIN = path.join(REPO, 'agent/bin/branchwatch-agent.js');
const CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux
const run = promisify(execFile);

const { values: args } = parseArgs({
  // pnpm passes the `--` of `pnpm bench:agent -- --duration 60` on.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    duration: { type: 'string', default: '180' },
    icmp: { type: 'string', default: '500' },
    tcp: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '64' },
    sample: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '20' },
    /** Run this agent executable (e.g. dist/branchwatch-agent-linux-x64) instead of agent/dist. */
    binary: { type: 'string' },
  },
});
const settings = {
  durationS: Number(args.duration),
  icmp: Number(args.icmp),
  tcp: Number(args.tcp),
  concurrency: Number(args.concurrency),
  sampleS: Number(args.sample),
  warmupS: Number(args.warmup),
};
for (const [key, value] of Object.entries(settings)) {
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${key}: not a number: ${value}`);
}
// The agent as it ships from a checkout: its build, made anew if the sources changed.
if (!args.binary) buildIfStale('agent');

function config(spoolDir: string): string {
  const lines = [
    'hub:',
    // Nothing listens there: the agent retries with backoff and keeps every batch in its spool.
    '  url: mqtt://127.0.0.1:1',
    '  username: bench',
    '  password: bench',
    'agent: { tenant: bench, branch: bench, id: load }',
    `spool: { dir: ${JSON.stringify(spoolDir)} }`,
    `concurrency: ${settings.concurrency}`,
    'logLevel: warn',
    'checks:',
  ];
  for (let i = 0; i < settings.icmp; i++) {
    const target = `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    lines.push(
      `  - { id: icmp-${i}, type: icmp, target: ${target}, intervalSeconds: 60, timeoutSeconds: 10,`,
      '      options: { count: 20, periodMs: 200, perPingTimeoutMs: 1000 } }',
    );
  }
  for (let i = 0; i < settings.tcp; i++) {
    lines.push(
      `  - { id: tcp-${i}, type: tcp, target: '127.2.0.1:9000', intervalSeconds: 10, timeoutSeconds: 3 }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

interface ProcSample {
  at: number;
  /** utime + stime of the process itself, ticks. */
  self: number;
  /** cutime + cstime: children it waited for (the fping processes), ticks. */
  children: number;
  rssKiB: number;
  /** Private memory (heap, stacks, malloc): RssAnon in /proc/<pid>/status. */
  anonKiB: number;
  /** Mapped files (the executable itself, shared libraries): RssFile. */
  fileKiB: number;
}

function sample(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return {
    at: performance.now(),
    self: Number(fields[11]) + Number(fields[12]), // utime, stime (stat fields 14, 15)
    children: Number(fields[13]) + Number(fields[14]), // cutime, cstime (16, 17)
    rssKiB: kib('VmRSS'),
    anonKiB: kib('RssAnon'),
    fileKiB: kib('RssFile'),
  };
}

const mib = (kib: number) => (kib / 1024).toFixed(1);

function cpuPercent(from: ProcSample, to: ProcSample, key: 'self' | 'children'): number {
  const seconds = (to.at - from.at) / 1000;
  return ((to[key] - from[key]) / CLOCK_TICKS / seconds) * 100;
}

async function spooledResults(dir: string) {
  const counts = { icmp: 0, tcp: 0, ok: 0, failed: 0, batches: 0 };
  const reasons = new Map<string, number>();
  for (const name of await readdir(dir)) {
    if (!/^\d{16}\.json$/.test(name)) continue;
    const batch = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as {
      results: { type: string; status: string; reason?: string }[];
    };
    counts.batches++;
    for (const r of batch.results) {
      if (r.type === 'icmp') counts.icmp++;
      if (r.type === 'tcp') counts.tcp++;
      if (r.status === 'ok') counts.ok++;
      else {
        counts.failed++;
        const reason = r.reason ?? '?';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  }
  return { ...counts, reasons: Object.fromEntries(reasons) };
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await waitExit(child, 20_000))) {
    child.kill('SIGKILL');
    await waitExit(child, 5000);
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('needs root: it creates a network namespace');
  if (!existsSync('/usr/bin/fping')) throw new Error('needs fping (Debian package fping)');
  const ns = `bw-acc-${randomBytes(3).toString('hex')}-bench`;
  const dir = await mkdtemp(path.join(tmpdir(), 'bw-bench-'));
  let listener: ChildProcess | undefined;
  let agent: ChildProcess | undefined;
  let stopping = false;
  const onSignal = () => {
    stopping = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await run('ip', ['netns', 'add', ns]);
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    listener = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns,
        process.execPath,
        '-e',
        "require('net').createServer((s) => s.end()).listen(9000, '127.2.0.1')",
      ],
      { stdio: 'ignore' },
    );
    const spoolDir = path.join(dir, 'spool');
    const configFile = path.join(dir, 'agent.yaml');
    await writeFile(configFile, config(spoolDir));
    const logFile = path.join(dir, 'agent.log');
    const log = openSync(logFile, 'a');
    // `ip netns exec` execs the command in place, so this pid is the agent's own node process.
    agent = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns,
        ...(args.binary ? [path.resolve(args.binary)] : [process.execPath, AGENT_BIN]),
        'run',
        '--config',
        configFile,
      ],
      {
        cwd: REPO,
        stdio: ['ignore', log, log],
      },
    );
    closeSync(log);
    const pid = agent.pid!;

    console.log(
      `agent pid ${pid} in ${ns}: ${settings.icmp} icmp checks (20 pings every 200 ms, each once a minute), ` +
        `${settings.tcp} tcp checks every 10 s, concurrency ${settings.concurrency}; ` +
        `${settings.durationS} s, first ${settings.warmupS} s not counted`,
    );
    const samples: ProcSample[] = [];
    const started = performance.now();
    const end = started + settings.durationS * 1000;
    // Bounded by time and by count: one sample per period, at most duration / period + 2.
    const maxSamples = Math.ceil(settings.durationS / Math.max(settings.sampleS, 0.1)) + 2;
    while (!stopping && performance.now() < end && samples.length < maxSamples) {
      if (agent.exitCode !== null)
        throw new Error(`agent exited: ${readFileSync(logFile, 'utf8')}`);
      const s = sample(pid);
      samples.push(s);
      const elapsed = (s.at - started) / 1000;
      const prev = samples[samples.length - 2];
      if (prev) {
        console.log(
          `  ${elapsed.toFixed(0).padStart(4)} s  cpu ${cpuPercent(prev, s, 'self').toFixed(1).padStart(5)} %` +
            `  fping ${cpuPercent(prev, s, 'children').toFixed(1).padStart(5)} %` +
            `  rss ${mib(s.rssKiB)} MiB (anon ${mib(s.anonKiB)}, file ${mib(s.fileKiB)})`,
        );
      }
      await new Promise((r) =>
        setTimeout(r, Math.min(settings.sampleS * 1000, Math.max(0, end - performance.now()))),
      );
    }
    const last = sample(pid);
    samples.push(last);
    const steady = samples.filter((s) => s.at - started >= settings.warmupS * 1000);
    const first = steady[0] ?? samples[0]!;
    const memory = (key: 'rssKiB' | 'anonKiB' | 'fileKiB') => {
      const values = steady.map((s) => s[key] / 1024);
      const mean = values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
      return `mean ${mean.toFixed(1)} MiB, max ${Math.max(...values).toFixed(1)} MiB`;
    };
    await stopChild(agent);
    const results = await spooledResults(spoolDir);
    const agentLog = readFileSync(logFile, 'utf8');
    const skipped = { icmp: 0, tcp: 0 };
    for (const line of agentLog.split('\n')) {
      if (!line.includes('round skipped')) continue;
      const check = String((JSON.parse(line) as { check?: string }).check);
      skipped[check.startsWith('icmp-') ? 'icmp' : 'tcp']++;
    }
    const minutes = (last.at - started) / 60_000;

    console.log('\nAgent load');
    console.log(
      `  measured over   ${((last.at - first.at) / 1000).toFixed(0)} s (after ${settings.warmupS} s warm-up)`,
    );
    console.log(
      `  agent CPU       ${cpuPercent(first, last, 'self').toFixed(1)} % of one core (node process: utime + stime)`,
    );
    console.log(
      `  fping CPU       ${cpuPercent(first, last, 'children').toFixed(1)} % of one core (children reaped: cutime + cstime)`,
    );
    console.log(`  RSS             ${memory('rssKiB')}`);
    console.log(`    RssAnon       ${memory('anonKiB')} (private: heap, stacks, malloc)`);
    console.log(`    RssFile       ${memory('fileKiB')} (mapped files: the executable, libraries)`);
    console.log(
      `  results spooled ${results.icmp} icmp (${(results.icmp / minutes).toFixed(0)}/min), ` +
        `${results.tcp} tcp (${(results.tcp / minutes).toFixed(0)}/min) in ${results.batches} batches; ` +
        `${results.failed} failed; rounds skipped: ${skipped.icmp} icmp, ${skipped.tcp} tcp`,
    );
    if (results.failed > 0) console.log(`  failure reasons ${JSON.stringify(results.reasons)}`);
  } finally {
    await stopChild(agent);
    await stopChild(listener);
    await run('ip', ['netns', 'del', ns]).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
