import net from 'node:net';
import tls from 'node:tls';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from '../core/logger.js';
import type { ConnectionGuard } from './connection-guard.js';

/**
 * The ways agents reach the embedded broker: MQTT over TCP, over TLS, and over WebSocket. Every
 * connection passes the guard first (connection-guard.ts): connections per address, addresses
 * refused for failed logins, and the size each packet announces.
 */
export function mqttListeners(
  aedes: Aedes,
  guard: ConnectionGuard,
  maxPacketBytes: number,
  logger: Logger,
) {
  const serve = (socket: net.Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    if (!guard.admit(socket, address)) return;
    aedes.handle(socket);
    guard.meter(socket, address);
  };
  const tcp = net.createServer(serve);
  let secure: tls.Server | undefined;
  // ws buffers a whole message before handing it on: bound it like an MQTT packet (its
  // default is 100 MiB).
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPacketBytes + 1024 });
  // Behind a trusted reverse proxy, the address it forwarded (http/trusted-proxy.ts).
  let clientOf = (request: IncomingMessage) => request.socket.remoteAddress ?? 'unknown';
  wss.on('connection', (ws, request) => {
    const stream = createWebSocketStream(ws);
    aedes.handle(stream, request);
    guard.meter(stream, clientOf(request));
  });

  return {
    /** Listens for MQTT over TCP; resolves with the bound port. */
    listen: (port: number, host: string) =>
      new Promise<number>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, host, () => resolve((tcp.address() as net.AddressInfo).port));
      }),
    /** Listens for MQTT over TLS; resolves with the bound port and the server, for reloads. */
    listenTls: (port: number, host: string, options: tls.TlsOptions) =>
      new Promise<{ port: number; server: tls.Server }>((resolve, reject) => {
        const server = tls.createServer(options, serve);
        // A client that fails the handshake (wrong CA, plain MQTT) is its own problem.
        server.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'MQTT TLS error'));
        secure = server;
        server.once('error', reject);
        server.listen(port, host, () =>
          resolve({ port: (server.address() as net.AddressInfo).port, server }),
        );
      }),
    /** Serves MQTT over WebSocket at `path` on an existing HTTP server. */
    attachWebSocket(
      server: HttpServer,
      path: string,
      client?: (request: IncomingMessage) => string,
    ) {
      if (client) clientOf = client;
      server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (new URL(request.url ?? '/', 'http://hub').pathname !== path) return socket.destroy();
        if (!guard.admit(socket, clientOf(request))) return;
        wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
      });
    },
    listening: () => tcp.listening,
    /** Stops taking connections and drops the WebSocket ones; aedes closes the others. */
    close() {
      for (const client of wss.clients) client.terminate();
      tcp.close();
      secure?.close();
    },
  };
}
