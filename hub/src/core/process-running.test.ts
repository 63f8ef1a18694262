import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { isProcessRunning } from './process-running.js';

let parent: ReturnType<typeof spawn> | undefined;
afterEach(() => {
  parent?.kill('SIGKILL');
  parent = undefined;
});

it('counts a child that exited but was never reaped (a zombie) as not running', async () => {
  // sh starts `true` in the background and becomes `sleep`, which never waits for it: once
  // `true` exits it stays a zombie until `sleep` ends.
  parent = spawn('sh', ['-c', 'true & exec sleep 60'], { stdio: 'ignore' });
  const sleeper = parent.pid!;
  let zombie: number | undefined;
  for (let i = 0; i < 100 && zombie === undefined; i++) {
    const children = readFileSync(`/proc/${sleeper}/task/${sleeper}/children`, 'utf8').trim();
    const pid = Number(children.split(' ')[0]);
    if (pid && readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')) zombie = pid;
    else await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(zombie).toBeDefined();
  // Signal 0 still reaches it; it is not running.
  expect(() => process.kill(zombie!, 0)).not.toThrow();
  expect(isProcessRunning(zombie!)).toBe(false);
  expect(isProcessRunning(sleeper)).toBe(true);

  parent.kill('SIGKILL');
  await new Promise((resolve) => parent!.once('exit', resolve));
  expect(isProcessRunning(sleeper)).toBe(false);
});
