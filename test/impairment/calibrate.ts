/**
 * Measures the relay's own accuracy (README.md, "Measured accuracy"):
 *
 *   node agent/node_modules/tsx/dist/cli.mjs test/impairment/calibrate.ts
 *
 * For a few fixed delays without jitter or loss, iputils ping sends 200 echoes every 20 ms through
 * the relay; its summary prints min/avg/max with microsecond resolution (fping rounds RTTs above
 * 10 ms to 0.1 ms and above 100 ms to 1 ms), and the relay reports how late it started each write.
 * Needs root. Creates and deletes its own bw-acc-… namespaces.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRelayedPair } from './netns.js';
import { buildRelay, startRelay } from './relay.js';

const run = promisify(execFile);
const DELAYS_MS = [0, 10, 50, 200];

const binary = await buildRelay();
const pair = await createRelayedPair();
try {
  const loopback = await run(
    'ip',
    ['netns', 'exec', pair.client, 'ping', '-n', '-q', '-c', '200', '-i', '0.02', '127.0.0.1'],
    { timeout: 30_000 },
  );
  const base = /= ([\d.]+\/[\d.]+\/[\d.]+)\//.exec(loopback.stdout)?.[1];
  console.log(`without the relay (loopback in the client namespace): min/avg/max ${base} ms`);
  console.log(
    'delay ms  ping min/avg/max ms          avg − delay   relay lateness mean/p99/max µs',
  );
  for (const delayMs of DELAYS_MS) {
    const relay = await startRelay(binary, pair, { delayMs });
    let out = '';
    try {
      const args = ['netns', 'exec', pair.client, 'ping', '-n', '-q', '-c', '200', '-i', '0.02'];
      out = (await run('ip', [...args, '-W', '1', pair.serverAddress], { timeout: 30_000 })).stdout;
    } finally {
      const stats = await relay.stop();
      const m = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\//.exec(out);
      const [min, avg, max] = m ? [m[1], m[2], m[3]].map(Number) : [NaN, NaN, NaN];
      const l = stats.lateness;
      console.log(
        `${String(delayMs).padStart(8)}  ${`${min}/${avg}/${max}`.padEnd(28)}` +
          `${(avg! - delayMs).toFixed(3).padStart(11)}   ${l.meanUs}/${l.p99Us}/${l.maxUs}` +
          `${stats.realtime ? '' : ' (no SCHED_FIFO)'}`,
      );
    }
  }
} finally {
  await pair.remove();
  await rm(path.dirname(binary), { recursive: true, force: true });
}
