import { randomBytes } from 'node:crypto';

/** A random secret for generated passwords and tokens, URL-safe. */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
