import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { httpRules, type HttpFields } from '@branchwatch/contract';
import type { Probe, ProbeOutcome } from '../probe.js';
import { openConnection, round3 } from './connection.js';
import { exchange, REDIRECTS } from './exchange.js';
import { statusExpected, type HttpOptions } from './options.js';

const blank = (): HttpFields => ({
  dns: null,
  connect: null,
  tls: null,
  firstByte: null,
  total: null,
  statusCode: null,
  certDaysLeft: null,
  redirects: 0,
  bodyBytes: null,
});

const failed = (reason: string, fields: HttpFields): ProbeOutcome<'http'> => ({
  status: 'failed',
  reason: reason.slice(0, 500),
  fields,
});

/**
 * One HTTP(S) request per round over a fresh connection, timed phase by phase (see README.md).
 * A reason starts with its failure class (`tls_failed: CERT_HAS_EXPIRED`), so the hub can group
 * by class and a person still reads the detail.
 */
export const httpProbe: Probe<HttpOptions, 'http'> = {
  type: 'http',
  ...httpRules,
  blankFields: blank,
  async run(check, signal) {
    const options = check.options;
    let ca: string | undefined;
    if (options.tls.caFile) {
      try {
        ca = await readFile(options.tls.caFile, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        return failed(`tls_failed: cannot read tls.caFile (${code})`, blank());
      }
    }
    // After reading caFile: `total` is about the network, not the agent's disk.
    const started = performance.now();
    const first = new URL(check.target);
    let url = first;
    let headers = options.headers;
    // Bounded: every pass either returns or follows one redirect, at most maxRedirects of them.
    for (let redirects = 0; ; redirects++) {
      // The servername option names the target's host; a redirect elsewhere uses its own name.
      const servername = url.host === first.host ? options.tls.servername : undefined;
      const tls = { verify: options.tls.verify, servername, ca };
      const connection = await openConnection(url, tls, signal);
      const fields = { ...blank(), ...connection.phases, certDaysLeft: connection.certDaysLeft };
      fields.redirects = redirects;
      if (!connection.ok) return failed(connection.reason, fields);

      const exchanged = await exchange(
        url,
        connection.socket,
        {
          method: options.method,
          headers,
          maxBodyBytes: options.maxBodyBytes,
          keepBody: options.bodyMatch !== undefined,
          stopAtRedirect: options.followRedirects,
        },
        signal,
      );
      fields.firstByte = exchanged.firstByte;
      fields.statusCode = exchanged.statusCode;
      if (!exchanged.ok) return failed(exchanged.reason, fields);
      fields.total = round3(performance.now() - started);
      fields.bodyBytes = exchanged.bodyBytes;

      const { statusCode, location } = exchanged;
      if (options.followRedirects && REDIRECTS.has(statusCode) && location) {
        if (redirects >= options.maxRedirects) {
          return failed(`too_many_redirects: more than ${options.maxRedirects}`, fields);
        }
        const next = redirectTarget(url, location);
        if (typeof next === 'string') return failed(next, fields);
        // Like fetch: credentials meant for one origin are not handed to another.
        if (next.origin !== url.origin) headers = withoutCredentials(headers);
        url = next;
        continue;
      }
      return judge(statusCode, exchanged.body, fields, options);
    }
  },
};

function judge(
  statusCode: number,
  body: Buffer | null,
  fields: HttpFields,
  options: HttpOptions,
): ProbeOutcome<'http'> {
  if (!statusExpected(statusCode, options.expectStatus)) {
    return failed(
      `bad_status: ${statusCode} (expected ${options.expectStatus.join(', ')})`,
      fields,
    );
  }
  const match = options.bodyMatch;
  if (match && body) {
    const text = body.toString('utf8');
    const found =
      'contains' in match ? text.includes(match.contains) : new RegExp(match.regex).test(text);
    if (!found) {
      const wanted = 'contains' in match ? JSON.stringify(match.contains) : `/${match.regex}/`;
      return failed(`body_mismatch: ${wanted} not in the first ${body.length} bytes`, fields);
    }
  }
  return { status: 'ok', fields };
}

function redirectTarget(from: URL, location: string): URL | string {
  if (!URL.canParse(location, from.href))
    return `bad_redirect: unusable Location ${location.slice(0, 200)}`;
  const next = new URL(location, from);
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    return `bad_redirect: to ${next.protocol} (only http and https are followed)`;
  }
  return next;
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !/^(authorization|cookie)$/i.test(name)),
  );
}
