import type { Resolver } from 'node:dns/promises';
import { DNS_MAX_ANSWER_CHARS, DNS_MAX_ANSWERS } from '@branchwatch/contract';
import type { DnsOptions, RecordType } from './options.js';

/**
 * One query per record type, its records written as zone-file-like text (RFC 1035 §5.1 order of
 * fields), so that an expected answer is one string whatever the type.
 */
export const QUERIES: Record<RecordType, (resolver: Resolver, name: string) => Promise<string[]>> =
  {
    A: (r, name) => r.resolve4(name),
    AAAA: (r, name) => r.resolve6(name),
    CNAME: (r, name) => r.resolveCname(name),
    NS: (r, name) => r.resolveNs(name),
    PTR: (r, name) => r.resolvePtr(name),
    MX: async (r, name) => (await r.resolveMx(name)).map((mx) => `${mx.priority} ${mx.exchange}`),
    // A TXT record is a list of strings of at most 255 bytes (RFC 7208 §3.3 joins them for SPF).
    TXT: async (r, name) => (await r.resolveTxt(name)).map((chunks) => chunks.join('')),
    SRV: async (r, name) =>
      (await r.resolveSrv(name)).map((s) => `${s.priority} ${s.weight} ${s.port} ${s.name}`),
    SOA: async (r, name) => {
      const s = await r.resolveSoa(name);
      return [
        `${s.nsname} ${s.hostmaster} ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minttl}`,
      ];
    },
    CAA: async (r, name) =>
      (await r.resolveCaa(name)).map((caa) => {
        const { critical, ...tags } = caa;
        const [tag, value] = Object.entries(tags)[0] ?? ['', ''];
        return `${critical} ${tag} "${String(value)}"`;
      }),
    NAPTR: async (r, name) =>
      (await r.resolveNaptr(name)).map(
        (n) =>
          `${n.order} ${n.preference} "${n.flags}" "${n.service}" "${n.regexp}" ${n.replacement}`,
      ),
  };

/** Names compare without case (RFC 4343) and without a trailing root dot. */
const normal = (text: string) => text.toLowerCase().replace(/\.$/, '');

/** Why the answers miss the expected one, or null when one of them matches. */
export function unexpected(
  answers: readonly string[],
  expect: DnsOptions['expect'],
): string | null {
  if (!expect) return null;
  const found =
    'exact' in expect
      ? answers.some((answer) => normal(answer) === normal(expect.exact))
      : answers.some((answer) => answer.toLowerCase().includes(expect.contains.toLowerCase()));
  if (found) return null;
  const wanted = 'exact' in expect ? `equals "${expect.exact}"` : `contains "${expect.contains}"`;
  const got = answers.slice(0, 3).join(', ') + (answers.length > 3 ? ', …' : '');
  return `unexpected_answer: no answer ${wanted} (got ${got})`;
}

/** What a result carries: the first answers, each cut to the contract's length. */
export function reportable(answers: readonly string[]): string[] {
  return answers
    .slice(0, DNS_MAX_ANSWERS)
    .map((a) => (a.length > DNS_MAX_ANSWER_CHARS ? `${a.slice(0, DNS_MAX_ANSWER_CHARS - 1)}…` : a));
}
