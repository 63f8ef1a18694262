import { simpleParser, type ParsedMail } from 'mailparser';

export type { ParsedMail };

/** Parses one RFC 5322 message (mailparser), for mail to ticket and for tests of mail out. */
export function parseMail(raw: Buffer | string | NodeJS.ReadableStream): Promise<ParsedMail> {
  return simpleParser(raw as Buffer);
}
