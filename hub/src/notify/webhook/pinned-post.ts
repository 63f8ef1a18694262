import http from 'node:http';
import https from 'node:https';

/**
 * One POST to `url`, connected to the address the destination guard checked
 * (destination-guard.ts), never to what the name resolves to by then; TLS still verifies the
 * certificate against the URL's host name. Resolves with the status; redirects are not
 * followed (one could lead past the guard).
 */
export function pinnedPost(
  url: URL,
  target: { address: string; family: number },
  headers: Record<string, string | number>,
  body: string | Buffer,
  signal: AbortSignal,
): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      signal,
      lookup: (_host, options, callback) => {
        if ((options as { all?: boolean }).all)
          (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
        else callback(null, target.address, target.family);
      },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.end(body);
  });
}
