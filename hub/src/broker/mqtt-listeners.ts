import net from 'node:net';
import tls from 'node:tls';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { Logger } from '../core/logger.js';

/** The ways agents reach the embedded broker: MQTT over TCP, over TLS, and over WebSocket. */
export function mqttListeners(aedes: Aedes, logger: Logger) {
  const tcp = net.createServer((socket) => aedes.handle(socket));
  let secure: tls.Server | undefined;
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws, request) => aedes.handle(createWebSocketStream(ws), request));

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
        const server = tls.createServer(options, (socket) => aedes.handle(socket));
        // A client that fails the handshake (wrong CA, plain MQTT) is its own problem.
        server.on('tlsClientError', (err) => logger.debug({ err: err.message }, 'MQTT TLS error'));
        secure = server;
        server.once('error', reject);
        server.listen(port, host, () =>
          resolve({ port: (server.address() as net.AddressInfo).port, server }),
        );
      }),
    /** Serves MQTT over WebSocket at `path` on an existing HTTP server. */
    attachWebSocket(server: HttpServer, path: string) {
      server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (new URL(request.url ?? '/', 'http://hub').pathname !== path) return socket.destroy();
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
