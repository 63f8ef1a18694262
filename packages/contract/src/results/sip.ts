import { z } from 'zod';
import { ms, resultBase } from './common.js';

/** What a SIP check sends: a keep-alive ping or a full registration. */
export const SIP_METHODS = ['OPTIONS', 'REGISTER'] as const;
export const SIP_TRANSPORTS = ['udp', 'tcp'] as const;

/**
 * Why a SIP round failed, in classes an alert rule can match on:
 * - `auth_failed`: 401/407 again, or 403, after credentials were sent (RFC 3261 §22.2-§22.3);
 * - `timeout`: no final response within the transaction timeout (RFC 3261 §17.1.2.2 Timer F);
 * - `unreachable`: ICMP port unreachable, connection refused or reset;
 * - `client_error` 4xx, `server_error` 5xx, `global_error` 6xx (RFC 3261 §21);
 * - `maintenance`: 503 when the check says the server is in maintenance then;
 * - `protocol_error`: an answer that is not a usable SIP response.
 */
export const SIP_FAILURES = [
  'auth_failed',
  'timeout',
  'unreachable',
  'client_error',
  'server_error',
  'global_error',
  'maintenance',
  'protocol_error',
] as const;

/** The numeric part of a SIP round: what goes into time series. */
export const sipFields = z.strictObject({
  /** Status code of the final response that decided the round; null when none came. */
  code: z.number().int().min(100).max(699).nullable(),
  /** Request to final response of the deciding transaction (the authenticated one), ms. */
  latency: ms,
  /** The whole exchange, challenge round included, ms; equals latency for OPTIONS. */
  total: ms,
  /** Registration lifetime the registrar granted, s (RFC 3261 §10.2.4); null unless registered. */
  expires: z.number().int().min(0).max(4_294_967_295).nullable(),
});

/** The words of a SIP round, for people and alert rules; absent when the round measured nothing. */
export const sipDetail = z.strictObject({
  method: z.enum(SIP_METHODS),
  transport: z.enum(SIP_TRANSPORTS),
  /** Reason phrase of the deciding response, as the server wrote it. */
  phrase: z.string().max(200).nullable(),
  failure: z.enum(SIP_FAILURES).nullable(),
  /** REGISTER only: whether the binding was accepted; null for OPTIONS. */
  registration: z.enum(['registered', 'not_registered']).nullable(),
  /** REGISTER only: whether the clean-up (Expires: 0) was accepted; null when not attempted. */
  unregistered: z.boolean().nullable(),
  /** The server's Server (or User-Agent) header, for inventory. */
  server: z.string().max(200).nullable(),
});

export const sipResult = z.strictObject({
  ...resultBase,
  type: z.literal('sip'),
  fields: sipFields,
  sip: sipDetail.optional(),
});

export type SipFields = z.infer<typeof sipFields>;
export type SipDetail = z.infer<typeof sipDetail>;
export type SipFailure = (typeof SIP_FAILURES)[number];
export type SipResult = z.infer<typeof sipResult>;
