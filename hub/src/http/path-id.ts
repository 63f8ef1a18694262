import { z } from 'zod';
import { notFound } from './errors.js';

/** A path id that is not a uuid names nothing: 404 like any other missing object. */
export function pathId(value: string | undefined, what: string): string {
  if (!z.uuid().safeParse(value).success) {
    throw notFound('BW_ERR_NOT_FOUND', `${what} ${value} does not exist`);
  }
  return value!;
}
