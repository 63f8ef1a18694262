import { spawn } from 'node:child_process';

/** What one fping or ping process left behind. */
export interface ProcessRun {
  /** Exit code, or null when it was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started at all (ENOENT: the binary is not installed). */
  spawnError?: NodeJS.ErrnoException;
}

// fping and ping print a line per target and at most a line per lost ping (an ICMP error); a
// bound keeps a misbehaving binary harmless.
const OUTPUT_LIMIT = 1024 * 1024;

/** Runs `command` to completion; aborting `signal` kills it (the result is then of no interest). */
export function runProcess(
  command: string,
  args: readonly string[],
  signal: AbortSignal,
): Promise<ProcessRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < OUTPUT_LIMIT) stdout += chunk;
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < OUTPUT_LIMIT) stderr += chunk;
    });
    let settled = false;
    const settle = (run: ProcessRun) => {
      if (settled) return;
      settled = true;
      resolve(run);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      // An abort also arrives here (AbortError); the close event that follows reports the kill.
      if (err.name !== 'AbortError') {
        settle({ code: null, signal: null, stdout, stderr, spawnError: err });
      }
    });
    child.on('close', (code, killedBy) => settle({ code, signal: killedBy, stdout, stderr }));
  });
}

/** The start of a command's output, on one line, for a failure reason. */
export function excerpt(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  if (flat === '') return '(nothing)';
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
