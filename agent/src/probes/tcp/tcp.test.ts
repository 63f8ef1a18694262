import { createServer, type Server } from 'node:net';
import { tcpResult } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpProbe } from './index.js';
import { parseHostPort } from './target.js';

function listen(host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      resolve({ server, port: address.port });
    });
  });
}

/** A port that was free a moment ago: listen, note it, close. */
async function closedPort(host: string): Promise<number> {
  const { server, port } = await listen(host);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const run = (target: string) =>
  tcpProbe.run({ id: 'pbx', target, options: {} }, new AbortController().signal);

describe('tcp probe against loopback servers', () => {
  let v4: { server: Server; port: number };
  let v6: { server: Server; port: number };
  beforeAll(async () => {
    v4 = await listen('127.0.0.1');
    v6 = await listen('::1');
  });
  afterAll(() => {
    v4.server.close();
    v6.server.close();
  });

  it('measures the connect time to an IPv4 listener', async () => {
    const outcome = await run(`127.0.0.1:${v4.port}`);
    expect(outcome.status).toBe('ok');
    expect(outcome.fields.connect).toBeGreaterThan(0);
    expect(outcome.fields.connect).toBeLessThan(50);
    const result = {
      check: 'pbx',
      type: 'tcp',
      target: 'x',
      at: new Date().toISOString(),
      ...outcome,
    };
    expect(tcpResult.safeParse(result).success).toBe(true);
  });

  it('measures the connect time to an IPv6 listener in brackets', async () => {
    const outcome = await run(`[::1]:${v6.port}`);
    expect(outcome).toMatchObject({ status: 'ok' });
    expect(outcome.fields.connect).toBeLessThan(50);
  });

  it('reports a closed port as connection refused', async () => {
    const port = await closedPort('127.0.0.1');
    expect(await run(`127.0.0.1:${port}`)).toEqual({
      status: 'failed',
      reason: 'connection refused',
      fields: { connect: null },
    });
  });

  it('stops when its signal is aborted', async () => {
    const aborted = AbortSignal.abort();
    const outcome = await tcpProbe.run(
      { id: 'x', target: `127.0.0.1:${v4.port}`, options: {} },
      aborted,
    );
    expect(outcome).toMatchObject({ status: 'failed', reason: 'aborted' });
  });
});

describe('tcp targets', () => {
  it('parses host:port and bracketed IPv6', () => {
    expect(parseHostPort('pbx.branch.example:5060')).toEqual({
      host: 'pbx.branch.example',
      port: 5060,
    });
    expect(parseHostPort('[::1]:443')).toEqual({ host: '::1', port: 443 });
  });

  it('says what is wrong with a bad target', () => {
    expect(tcpProbe.validateTarget('::1:443')).toBe(
      'expected host:port, with IPv6 addresses in brackets ([::1]:443)',
    );
    expect(tcpProbe.validateTarget('127.0.0.1')).toBe(
      'expected host:port, with IPv6 addresses in brackets ([::1]:443)',
    );
    expect(tcpProbe.validateTarget('127.0.0.1:70000')).toBe('port 70000 is outside 1-65535');
    expect(tcpProbe.validateTarget('[pbx]:5060')).toBe('"pbx" is not an IPv6 address');
  });
});
