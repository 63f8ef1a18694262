import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseResponse, topBranch, type SipResponse } from './message.js';

export type SipTransport = 'udp' | 'tcp';

/**
 * One connected path to a SIP server: a connected UDP socket (so ICMP port unreachable comes back
 * as an error instead of silence) or a TCP connection. Responses are handed out by the branch of
 * their top Via (RFC 3261 §17.1.3); anything else is ignored.
 */
export interface SipFlow {
  proto: 'UDP' | 'TCP';
  reliable: boolean;
  local: { address: string; port: number };
  send(text: string): void;
  /** Registers the handler for responses of one transaction; returns its removal. */
  expect(branch: string, onResponse: (response: SipResponse, at: number) => void): () => void;
  /** The first transport error (refused, reset, closed), once; null while healthy. */
  readonly failure: string | null;
  onFailure(handler: (reason: string) => void): void;
  close(): void;
}

/** Reasons by errno, in the words a support agent would use in a ticket. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (port unreachable)',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'cannot resolve host',
  EAI_AGAIN: 'cannot resolve host (DNS temporarily unavailable)',
};

export function transportReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? `transport error: ${(err as Error).message}`;
}

/** Resolves and connects; a failure is a reason string, never an exception. */
export async function openFlow(
  transport: SipTransport,
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<SipFlow | string> {
  let address = host;
  if (isIP(host) === 0) {
    try {
      address = (await lookup(host)).address;
    } catch (err) {
      return transportReason(err);
    }
  }
  if (signal.aborted) return 'aborted';
  return transport === 'udp' ? openUdp(address, port, signal) : openTcp(address, port, signal);
}

/** The branch → handler table and failure latch both transports share. */
function dispatcher() {
  const waiting = new Map<string, (response: SipResponse, at: number) => void>();
  const failureHandlers: ((reason: string) => void)[] = [];
  const state = { failure: null as string | null };
  return {
    state,
    deliver(text: string) {
      const at = performance.now();
      const response = parseResponse(text.split(/\r?\n\r?\n/)[0] ?? '');
      const branch = response && topBranch(response);
      if (response && branch) waiting.get(branch)?.(response, at);
    },
    fail(reason: string) {
      if (state.failure !== null) return;
      state.failure = reason;
      for (const handler of failureHandlers) handler(reason);
    },
    expect(branch: string, handler: (response: SipResponse, at: number) => void) {
      waiting.set(branch, handler);
      return () => void waiting.delete(branch);
    },
    onFailure(handler: (reason: string) => void) {
      if (state.failure !== null) handler(state.failure);
      else failureHandlers.push(handler);
    },
  };
}

function openUdp(address: string, port: number, signal: AbortSignal): Promise<SipFlow | string> {
  return new Promise((resolve) => {
    const socket: UdpSocket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    const d = dispatcher();
    const onAbort = () => done('aborted');
    const done = (result: SipFlow | string) => {
      signal.removeEventListener('abort', onAbort);
      if (typeof result === 'string') socket.close();
      resolve(result);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('message', (msg) => d.deliver(msg.toString('utf8')));
    // On a connected socket the kernel reports ICMP port unreachable as ECONNREFUSED.
    socket.on('error', (err) => d.fail(transportReason(err)));
    socket.connect(port, address, () => {
      const local = socket.address();
      done({
        proto: 'UDP',
        reliable: false,
        local: { address: local.address, port: local.port },
        send: (text) => socket.send(text, (err) => err && d.fail(transportReason(err))),
        expect: d.expect,
        get failure() {
          return d.state.failure;
        },
        onFailure: d.onFailure,
        close: () => socket.close(),
      });
    });
  });
}

function openTcp(address: string, port: number, signal: AbortSignal): Promise<SipFlow | string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const d = dispatcher();
    let opened = false;
    const onAbort = () => done('aborted');
    const done = (result: SipFlow | string) => {
      signal.removeEventListener('abort', onAbort);
      if (typeof result === 'string') socket.destroy();
      resolve(result);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      buffer = drainFrames(buffer, d.deliver);
    });
    socket.on('error', (err) =>
      opened ? d.fail(transportReason(err)) : done(transportReason(err)),
    );
    socket.on('close', () => d.fail('connection closed by the server'));
    socket.connect({ host: address, port }, () => {
      opened = true;
      socket.setNoDelay(true);
      done({
        proto: 'TCP',
        reliable: true,
        local: { address: socket.localAddress ?? address, port: socket.localPort ?? 0 },
        send: (text) => void socket.write(text),
        expect: d.expect,
        get failure() {
          return d.state.failure;
        },
        onFailure: d.onFailure,
        close: () => socket.destroy(),
      });
    });
  });
}

/** Upper bound of one framed message; a server that sends more is broken, not slow. */
const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Cuts complete messages off a stream buffer (RFC 3261 §18.3: Content-Length frames a message on
 * a stream) and returns what is left. Leading CRLFs are keep-alives (RFC 5626 §3.5.1).
 */
export function drainFrames(buffer: Buffer, deliver: (text: string) => void): Buffer {
  let rest = buffer;
  for (let i = 0; i < 1000; i++) {
    let start = 0;
    while (start < rest.length && (rest[start] === 0x0d || rest[start] === 0x0a)) start++;
    rest = rest.subarray(start);
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return rest.length > MAX_MESSAGE_BYTES ? Buffer.alloc(0) : rest;
    const head = rest.subarray(0, end).toString('utf8');
    const length = Number(/^(?:content-length|l)\s*:\s*(\d+)/im.exec(head)?.[1] ?? 0);
    const total = end + 4 + length;
    if (rest.length < total) return rest;
    deliver(rest.subarray(0, total).toString('utf8'));
    rest = rest.subarray(total);
  }
  return rest;
}
