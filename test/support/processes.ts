import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const HUB_BIN = path.join(REPO, 'hub/bin/branchwatch-hub.js');
export const AGENT_BIN = path.join(REPO, 'agent/bin/branchwatch-agent.js');

/**
 * Builds the parts whose sources changed since their last build (scripts/build.mjs): tests
 * and benchmarks that start hub and agent processes run the build, as releases do.
 */
export function buildIfStale(...parts: ('web' | 'hub' | 'agent')[]): void {
  execFileSync(process.execPath, [path.join(REPO, 'scripts/build.mjs'), '--if-stale', ...parts], {
    cwd: REPO,
    stdio: 'inherit',
  });
}

/** A process the test started, with its output kept in a log file for when a test fails. */
export interface Started {
  child: ChildProcess;
  logFile: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node script args` with only the environment given (plus PATH), logging to `logFile`.
 * Each process is stopped by the test that started it, by its own id.
 */
export function startNode(
  script: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  options: {
    /** A process group of its own, as a shell gives a command it runs in a terminal. */
    processGroup?: boolean;
  } = {},
): Started {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [script, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', log, log],
    detached: options.processGroup ?? false,
  });
  fs.closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, logFile, output: () => fs.readFileSync(logFile, 'utf8'), exited };
}

/**
 * Runs the built agent with the config the hub issued (its address and credentials), its spool
 * in `work`, batches every 0.3 s and the given checks in its own file (`agent.yaml` in `work`).
 */
export function runAgent(issuedConfig: string, work: string, checks: unknown[]): Started {
  const config = parse(issuedConfig) as Record<string, unknown>;
  config.spool = { dir: path.join(work, 'spool') };
  config.batch = { intervalSeconds: 0.3 };
  config.checks = checks;
  const file = path.join(work, 'agent.yaml');
  fs.writeFileSync(file, stringify(config));
  return startNode(AGENT_BIN, ['run', '--config', file], {}, path.join(work, 'agent.log'));
}

/** Sends `signal` and waits for the exit, escalating to SIGKILL after `graceMs`. */
export async function stop(p: Started, signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000) {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.exited;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  const result = await p.exited;
  clearTimeout(timer);
  return result;
}

/** Ids of the running processes whose command line mentions `text` (Linux /proc). */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(text)) pids.push(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return pids;
}
