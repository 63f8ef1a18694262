import { z } from 'zod';
import { count, ms, resultBase } from './common.js';

/** Most answers a result carries; a larger answer set is cut (its size stays in `fields`). */
export const DNS_MAX_ANSWERS = 16;
/** Longest answer text a result carries (one TXT string's limit, RFC 1035 §3.3.14). */
export const DNS_MAX_ANSWER_CHARS = 255;

/** One DNS query against one server. */
export const dnsFields = z.strictObject({
  /** From the query sent to the server's reply, ms; an NXDOMAIN is a reply too. Null without one. */
  resolveMs: ms,
  /** Records in the answer; null when no reply came. */
  answers: count.nullable(),
});

export const dnsResult = z.strictObject({
  ...resultBase,
  type: z.literal('dns'),
  fields: dnsFields,
  /** The answer records as text (`10 mail.example.net` for MX), at most DNS_MAX_ANSWERS. */
  answers: z.array(z.string().max(DNS_MAX_ANSWER_CHARS)).max(DNS_MAX_ANSWERS).optional(),
});

export type DnsFields = z.infer<typeof dnsFields>;
export type DnsResult = z.infer<typeof dnsResult>;
