import type { ParsedMail } from 'mailparser';

export type { ParsedMail };

/** Parses one RFC 5322 message (mailparser), for mail to ticket and for tests of mail out. */
export async function parseMail(raw: Buffer | string | NodeJS.ReadableStream): Promise<ParsedMail> {
  // Loaded on first use: a hub without mail to ticket never needs it (docs/benchmarks.md,
  // "Time to chart and the idle hub").
  const { simpleParser } = await import('mailparser');
  return simpleParser(raw as Buffer);
}
