import { createHash, randomInt } from 'node:crypto';

/**
 * One-time codes that link a Telegram account to a hub user (docs/security.md "Telegram
 * linking"). Eight characters of Crockford's base32 (40 bits: no I, L, O or U to misread),
 * usable once for LINK_CODE_MINUTES. A code also fits Telegram's deep-link start parameter
 * (A-Z, a-z, 0-9, _ and -), so `t.me/<bot>?start=<code>` sends `/start <code>`.
 */
export const LINK_CODE_MINUTES = 10;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 8;

export function newLinkCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** What a person may have typed: any case, with spaces or dashes; O read as 0, I and L as 1. */
export function normalizeLinkCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : undefined;
}

export const hashLinkCode = (code: string) =>
  createHash('sha256').update(`bw-telegram-link:${code}`).digest('hex');
