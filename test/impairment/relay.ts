import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RelayedPair } from './netns.js';

const SOURCE = fileURLToPath(new URL('./relay.c', import.meta.url));

/** What the relay does to packets from the client to the server (README.md). */
export interface Impairment {
  /** Added to every round trip, ms. */
  delayMs: number;
  /** Spread of the delay, ms: the half-width for `uniform`, the standard deviation for `normal`. */
  jitterMs?: number;
  distribution?: 'uniform' | 'normal';
  /** Probability that a packet from the client is dropped, 0-1. */
  loss?: number;
  /** Seeds the relay's random numbers: the same seed and packets give the same drops and delays. */
  seed?: number;
}

export interface DirectionStats {
  packets: number;
  dropped: number;
  echoRequests: number;
  echoRequestsDropped: number;
  queueFull: number;
  writeErrors: number;
}

/** In `echoHeldUs`: an echo request the configured loss dropped. */
export const ECHO_DROPPED = -1;

export interface RelayStats {
  /** Client to server: impaired. */
  ab: DirectionStats;
  /** Server to client: passed on at once. */
  ba: DirectionStats;
  heldAtExit: number;
  /** Whether the relay got SCHED_FIFO. */
  realtime: boolean;
  /**
   * How long each echo request from the client was held, in the order they came (µs, from its
   * read to the start of its write): the delay the link really had for that ping, lateness
   * included. ECHO_DROPPED (-1): dropped by the configured loss; -2: still held when the relay
   * stopped.
   */
  echoHeldUs: number[];
  /** How late each held packet's write started, from its due time. */
  lateness: { count: number; meanUs: number; p50Us: number; p99Us: number; maxUs: number };
}

export interface Relay {
  pid: number;
  /** Stops the relay and returns what it counted. */
  stop(): Promise<RelayStats>;
}

/** Compiles relay.c with the system's C compiler into a fresh temporary folder. */
export async function buildRelay(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bw-relay-'));
  const binary = path.join(dir, 'relay');
  await promisify(execFile)('cc', ['-O2', '-Wall', '-o', binary, SOURCE, '-lm'], {
    timeout: 60_000,
  });
  return binary;
}

/** Starts the relay between the pair's TUNs and resolves once both are attached. */
export async function startRelay(
  binary: string,
  pair: RelayedPair,
  impairment: Impairment,
): Promise<Relay> {
  const args = [
    ['--a-ns', pair.client],
    ['--a-tun', pair.tun],
    ['--b-ns', pair.server],
    ['--b-tun', pair.tun],
    ['--delay-us', String(Math.round(impairment.delayMs * 1000))],
    ['--jitter-us', String(Math.round((impairment.jitterMs ?? 0) * 1000))],
    ['--dist', impairment.distribution ?? 'uniform'],
    ['--loss', String(impairment.loss ?? 0)],
    ['--seed', String(impairment.seed ?? 1)],
  ].flat();
  // stdin stays open: the relay stops when it closes, so it cannot outlive this process.
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(binary, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail('did not report ready within 5 s'), 5000);
    const onData = () => {
      if (!stdout.startsWith('ready\n')) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve();
    };
    function fail(why: string) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`relay ${why}: ${stderr.trim()}`));
    }
    child.stdout.on('data', onData);
    void exited.then((code) => fail(`exited with ${code}`));
  });

  return {
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      const line = stdout.slice('ready\n'.length).trim();
      if (code !== 0 || !line.startsWith('{')) {
        throw new Error(`relay ended with ${code}: ${stderr.trim() || line}`);
      }
      return JSON.parse(line) as RelayStats;
    },
  };
}
