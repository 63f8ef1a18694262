import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AGENT_VERSION } from '../../version.js';
import { round3 } from './connection.js';

export interface ExchangeSettings {
  method: 'GET' | 'HEAD';
  headers: Record<string, string>;
  maxBodyBytes: number;
  /** Keep the bytes read (for a body match), not only count them. */
  keepBody: boolean;
  /** Stop at a redirect's headers: its body is not what the check is about. */
  stopAtRedirect: boolean;
}

export type Exchange =
  | {
      ok: true;
      statusCode: number;
      location: string | undefined;
      firstByte: number | null;
      body: Buffer | null;
      bodyBytes: number;
    }
  | { ok: false; reason: string; statusCode: number | null; firstByte: number | null };

// RFC 9110 §15.4: the redirects that carry a Location to follow (300 and 304 do not).
export const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One request and its response over a connection that `openConnection` made. `firstByte` runs
 * from the request handed to the kernel ('finish') to the first response byte on the socket; the
 * body is read up to `maxBodyBytes` and the connection is then closed (no keep-alive: every round
 * measures a fresh connection).
 */
export function exchange(
  url: URL,
  socket: Socket,
  settings: ExchangeSettings,
  signal: AbortSignal,
): Promise<Exchange> {
  return new Promise((resolve) => {
    let sent: number | null = null;
    let firstByte: number | null = null;
    let statusCode: number | null = null;
    let settled = false;
    const done = (exchanged: Exchange) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(exchanged);
    };
    const fail = (reason: string) => done({ ok: false, reason, statusCode, firstByte });

    // A second 'data' listener beside node:http's parser only observes; it consumes nothing.
    socket.once('data', () => {
      const now = performance.now();
      firstByte = round3(now - (sent ?? now));
    });
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: settings.method,
      headers: {
        'user-agent': `branchwatch-agent/${AGENT_VERSION}`,
        connection: 'close',
        ...settings.headers,
      },
      createConnection: () => socket,
      signal,
    });
    request.once('finish', () => (sent = performance.now()));
    // `on`, not `once`: a late second error after the round settled must not go unhandled.
    request.on('error', (err: NodeJS.ErrnoException) =>
      fail(signal.aborted ? 'aborted' : `http_error: ${err.code ?? err.message}`),
    );
    request.once('response', (response) => {
      statusCode = response.statusCode ?? null;
      const code = statusCode ?? 0;
      const location = response.headers.location;
      const chunks: Buffer[] = [];
      let bytes = 0;
      const finish = () =>
        done({
          ok: true,
          statusCode: code,
          location,
          firstByte,
          body: settings.keepBody ? Buffer.concat(chunks) : null,
          bodyBytes: bytes,
        });
      if (settings.stopAtRedirect && REDIRECTS.has(code) && location) return finish();
      response.on('data', (chunk: Buffer) => {
        const part = chunk.subarray(0, settings.maxBodyBytes - bytes);
        bytes += part.length;
        if (settings.keepBody) chunks.push(part);
        if (bytes >= settings.maxBodyBytes) finish();
      });
      response.once('end', finish);
      response.on('error', (err: NodeJS.ErrnoException) =>
        fail(
          signal.aborted ? 'aborted' : `http_error: body cut short (${err.code ?? err.message})`,
        ),
      );
    });
    request.end();
  });
}
