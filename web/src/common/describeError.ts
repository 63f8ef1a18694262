import { ApiError, CLIENT_ERROR_CODES } from '../api/client';
import type { I18n } from '../i18n';

/**
 * The sentence to show for a failed call. The hub's own messages are written for people
 * ("wrong username or password") and shown as they are; failures with no hub answer get ours,
 * since the browser's ("Failed to fetch") says nothing useful.
 */
export function describeError(error: unknown, { t }: I18n): string {
  if (error instanceof ApiError) {
    if (error.code === CLIENT_ERROR_CODES.network) return t('error.network');
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
