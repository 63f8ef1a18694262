import { ApiError, CLIENT_ERROR_CODES } from '../api/client';
import type { I18n } from '../i18n';
import type { MessageKey } from '../i18n/en';

/** A refusal the web makes itself (a form's check), written in the reader's language. */
export class LocalRefusal extends ApiError {}

/**
 * The sentence to show for a failed call. The hub's own messages are written for people
 * ("wrong username or password") and shown as they are; failures with no hub answer get ours,
 * since the browser's ("Failed to fetch") says nothing useful.
 */
export function describeError(error: unknown, i18n: I18n): string {
  const { t } = i18n;
  if (error instanceof ApiError) {
    if (error.code === CLIENT_ERROR_CODES.network) return t('error.network');
    // Refusals a person must understand in their own language (the hub writes English).
    if (error.code === 'BW_ERR_ATTACHMENT_INFECTED') {
      const signature = (error.details as { signature?: unknown } | undefined)?.signature;
      // t() isolates the signature's name in Persian, so it reads left to right there.
      return t('error.attachmentInfected', {
        signature: typeof signature === 'string' ? signature : '?',
      });
    }
    // A page or action the person's role lacks (e.g. an address typed by hand).
    if (error.code === 'BW_ERR_FORBIDDEN') return t('error.forbidden');
    if (error.code === 'BW_ERR_SCANNER_UNAVAILABLE') return t('error.scannerUnavailable');
    if (error.code === 'BW_ERR_REOPEN_WINDOW') return t('error.reopenWindow');
    if (error.code === 'BW_ERR_NOT_RESOLVED') return t('error.notResolved');
    if (error.code === 'BW_ERR_PASSWORD_POLICY') return passwordRefusal(error, t);
    if (error.code === 'BW_ERR_RATE_LIMITED') return rateLimited(error, t);
    // Signing in where the tenant requires its provider, or through an LDAP directory.
    if (error.code === 'BW_ERR_SSO_REQUIRED') return t('error.ssoRequired');
    if (error.code === 'BW_ERR_SSO_NO_ROLE') return t('error.ssoNoRole');
    if (error.code === 'BW_ERR_DIRECTORY_UNAVAILABLE') return t('error.directoryUnavailable');
    const details = (error.details ?? {}) as { reason?: unknown; destination?: unknown };
    if (details.reason === 'private_destination')
      return t('error.webhookPrivate', {
        address: typeof details.destination === 'string' ? details.destination : '?',
      });
    return byCode(error, i18n);
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Any other refusal: the hub writes its messages in English for people, often naming what was
 * wrong, so an English reader gets them as they are; a reader of another language gets the
 * dictionary's words for the code (i18n/hubErrors.ts has every code the hub sends). A refusal
 * the web made itself (`LocalRefusal`) is already in the reader's language.
 */
function byCode(error: ApiError, { t, language }: I18n): string {
  if (error instanceof LocalRefusal || (language === 'en' && error.message)) return error.message;
  const key = `error.code.${error.code}`;
  const words = t(key as MessageKey);
  return words === key ? error.message : words;
}

/** Why the tenant's password policy refused a password, in the reader's language. */
function passwordRefusal(error: ApiError, t: I18n['t']): string {
  const d = (error.details ?? {}) as { reason?: string; minLength?: number; history?: number };
  if (d.reason === 'too_short') return t('error.passwordTooShort', { n: d.minLength ?? 8 });
  if (d.reason === 'common') return t('error.passwordCommon');
  if (d.reason === 'reused') return t('error.passwordReused', { n: d.history ?? 1 });
  return error.message;
}

/** Too many tries: which limit, and in how many seconds the next try goes (Retry-After). */
function rateLimited(error: ApiError, t: I18n['t']): string {
  const d = (error.details ?? {}) as {
    retryAfterSeconds?: number;
    limit?: string;
    max?: number;
    windowMinutes?: number;
  };
  if (typeof d.retryAfterSeconds !== 'number') return error.message;
  const vars = { n: d.retryAfterSeconds, max: d.max ?? 0, minutes: d.windowMinutes ?? 0 };
  if (d.limit === 'channel') return t('error.testLimit.channel', vars);
  if (d.limit === 'person') return t('error.testLimit.person', vars);
  return t('error.rateLimited', vars);
}
