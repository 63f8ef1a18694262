import { existsSync, readFileSync } from 'node:fs';

/**
 * Whether process `pid` still runs. Signal 0 alone is not enough: a process that has exited but
 * that nobody has reaped yet (a zombie) still answers it. A stopped PostgreSQL whose hub was
 * killed is reparented to the first process, and in a container whose first process does not
 * reap orphans (`docker run` without `--init`, `pnpm test` as its command) it stays a zombie
 * until the container ends. On Linux /proc/PID/stat tells (proc(5): the field after the
 * command name is the state, Z for a zombie); elsewhere signal 0 is all there is.
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // Gone since the signal, or no /proc on this system.
    return !existsSync('/proc/self/stat');
  }
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}
