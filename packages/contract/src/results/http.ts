import { z } from 'zod';
import { count, ms, resultBase } from './common.js';

/**
 * One HTTP(S) round. The phases are durations that follow one another (curl's `-w` timings as
 * intervals, like blackbox_exporter's `phase` label), so a slow round says where the time went.
 * After redirects the phases are those of the last request; `total` spans the whole chain.
 */
export const httpFields = z.strictObject({
  /** Name lookup, ms; 0 for an IP address target, null when the round stopped before it. */
  dns: ms,
  /** TCP handshake after the lookup, ms. */
  connect: ms,
  /** TLS handshake after the TCP connect, ms; null for http://. */
  tls: ms,
  /** From the request written to the socket to the first byte of the response, ms. */
  firstByte: ms,
  /** From the start of the round to the end of the body read (or its byte limit), ms; null
   * when no response arrived. */
  total: ms,
  /** Status code of the last response; null when none arrived. */
  statusCode: z.number().int().min(100).max(599).nullable(),
  /** Days until the server certificate's notAfter, negative once expired; null without TLS. */
  certDaysLeft: z.number().finite().nullable(),
  /** Redirects followed before the last response. */
  redirects: count,
  /** Body bytes read (at most the probe's `maxBodyBytes`); null when no response arrived. */
  bodyBytes: count.nullable(),
});

export const httpResult = z.strictObject({
  ...resultBase,
  type: z.literal('http'),
  fields: httpFields,
});

export type HttpFields = z.infer<typeof httpFields>;
export type HttpResult = z.infer<typeof httpResult>;
