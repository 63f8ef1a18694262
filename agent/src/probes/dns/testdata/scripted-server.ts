import { createSocket, type Socket } from 'node:dgram';

/**
 * A DNS server on loopback UDP that answers every query the same scripted way, for what dnsmasq
 * will not do on demand: a SERVFAIL, an empty NOERROR answer, or no reply at all (a server that
 * is down while its host still stands, so no ICMP error comes back either).
 */
export type Script = 'servfail' | 'empty' | 'silent';

export interface ScriptedServer {
  server: string;
  queries: number;
  close(): Promise<void>;
}

// RFC 1035 §4.1.1 header: ID, flags, then the four section counts.
const RCODE = { servfail: 2, empty: 0 } as const;

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const socket: Socket = createSocket('udp4');
  const state: ScriptedServer = {
    server: '',
    queries: 0,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (query, peer) => {
    state.queries++;
    if (script === 'silent' || query.length < 12) return;
    const question = query.subarray(12, questionEnd(query));
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2); // the query's ID
    const recursionDesired = query[2]! & 0x01;
    header[2] = 0x84 | recursionDesired; // QR=1 (response), AA=1
    header[3] = RCODE[script];
    header.writeUInt16BE(1, 4); // the question, echoed; no answers
    socket.send(Buffer.concat([header, question]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  state.server = `127.0.0.1:${socket.address().port}`;
  return state;
}

/** Where the first question ends: its labels, the root label, then QTYPE and QCLASS. */
function questionEnd(query: Buffer): number {
  let at = 12;
  for (let labels = 0; labels < 128 && at < query.length && query[at] !== 0; labels++) {
    at += query[at]! + 1;
  }
  return Math.min(at + 5, query.length);
}
