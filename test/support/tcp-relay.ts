import net from 'node:net';

/**
 * A TCP relay on a loopback port that stays the same while the server behind it moves: a
 * PostgreSQL server stopped and started again comes up on another port (the embedded one picks
 * a free port at each start), but the hub keeps the one DATABASE_URL it was given. While
 * nothing listens behind it, each connection is closed at once, as a stopped server's clients
 * see it.
 */
export interface TcpRelay {
  port: number;
  /** Where new connections go from now on. */
  retarget(port: number): void;
  close(): Promise<void>;
}

export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  let target = targetPort;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    retarget(port) {
      target = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
