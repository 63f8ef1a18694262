import { z } from 'zod';

/**
 * Shapes shared by the API's answers, for the OpenAPI document (hub/src/openapi). Answers are
 * JSON: a `Date` a service returns is written as an ISO 8601 string.
 */
export const timestamp = z
  .custom<Date | string>((v) => v instanceof Date || typeof v === 'string')
  .meta({ type: 'string', format: 'date-time' });

/** An id in an answer (the document says `format: uuid` without zod's long pattern). */
export const uuid = z.string().meta({ format: 'uuid' });

/** `{ items: [...] }`: every list answer. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** A body the route does not read: send none (or `{}`). */
export const noBody = z.strictObject({}).describe('No body is needed; send none or {}');

export const csvText = z.string().describe('RFC 4180 CSV with a header row');

export const fileContent = z
  .string()
  .meta({ contentMediaType: 'application/octet-stream' })
  .describe('The file, byte for byte');
