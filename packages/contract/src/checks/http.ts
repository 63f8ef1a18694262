import { isAbsolute } from 'node:path';
import { z } from 'zod';

/** An expected status: a code (`204`), a class (`2xx`) or a range (`200-299`). */
const statusSpec = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^[1-5]xx$|^[1-5]\d\d-[1-5]\d\d$/, 'expected a code, "2xx" or "200-299"'),
]);

/** Header names are RFC 9110 §5.1 tokens; values may not carry line breaks (header injection). */
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name');
const headerValue = z
  .string()
  .max(8192)
  .regex(/^[^\r\n]*$/, 'a header value cannot span lines');

const bodyMatch = z.union([
  z.strictObject({ contains: z.string().min(1).max(4096) }),
  z.strictObject({
    regex: z
      .string()
      .min(1)
      .max(4096)
      .refine((source) => compiles(source), 'not a valid regular expression'),
  }),
]);

export const httpOptions = z
  .strictObject({
    method: z.enum(['GET', 'HEAD']).default('GET'),
    headers: z.record(headerName, headerValue).default({}),
    /** Any of these passes; a 3xx passes by default because redirects are not followed. */
    expectStatus: z.array(statusSpec).min(1).max(32).default(['2xx', '3xx']),
    /** Checked against the first `maxBodyBytes` of the body, decoded as UTF-8. */
    bodyMatch: bodyMatch.optional(),
    /** A bound on what a round reads: a large download must not become the measurement. */
    maxBodyBytes: z
      .number()
      .int()
      .min(1)
      .max(16 * 1024 * 1024)
      .default(64 * 1024),
    followRedirects: z.boolean().default(false),
    maxRedirects: z.number().int().min(1).max(20).default(5),
    tls: z
      .strictObject({
        /** Refuse a certificate that does not chain to a trusted root or name the host. */
        verify: z.boolean().default(true),
        /** SNI and the name the certificate must carry; by default the URL's host. */
        servername: z.string().min(1).max(253).optional(),
        /** PEM roots to trust instead of Node's bundled ones (a branch's internal CA). */
        caFile: z
          .string()
          .refine((file) => isAbsolute(file), 'must be an absolute path')
          .optional(),
      })
      .prefault({}),
  })
  .refine((options) => !(options.method === 'HEAD' && options.bodyMatch), {
    message: 'a HEAD response has no body to match',
    path: ['bodyMatch'],
  });

export type HttpOptions = z.infer<typeof httpOptions>;
export type StatusSpec = z.infer<typeof statusSpec>;

/** Whether `code` is one of the expected statuses. */
export function statusExpected(code: number, expected: readonly StatusSpec[]): boolean {
  return expected.some((spec) => {
    if (typeof spec === 'number') return code === spec;
    if (spec.endsWith('xx')) return Math.floor(code / 100) === Number(spec[0]);
    const [low, high] = spec.split('-').map(Number) as [number, number];
    return code >= low && code <= high;
  });
}

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
