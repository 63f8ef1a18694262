import type { z } from 'zod';
import { formatPath } from '@branchwatch/contract';
import { apiError } from './errors.js';

/** Parses request input, or throws a 400 that names the field. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = formatPath(issue.path);
  throw apiError(400, 'BW_ERR_VALIDATION', field ? `${field}: ${issue.message}` : issue.message, {
    field,
  });
}
