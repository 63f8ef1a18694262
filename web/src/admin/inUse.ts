import { ApiError } from '../api/client';
import type { I18n, MessageKey } from '../i18n';

const KINDS = ['agents', 'openTickets', 'scopedUsers', 'branches', 'users', 'tickets'] as const;

/**
 * What still depends on a branch or tenant the hub refused to delete (409 with the counts in
 * `details`), in words: "1 agent, 2 open tickets". Null for any other error.
 */
export function dependentsOf(error: unknown, i18n: I18n): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code !== 'BW_ERR_BRANCH_IN_USE' && error.code !== 'BW_ERR_TENANT_IN_USE') return null;
  const counts = (error.details ?? {}) as Record<string, unknown>;
  const plural = new Intl.PluralRules(i18n.locale);
  const parts = KINDS.flatMap((kind) => {
    const n = counts[kind];
    if (typeof n !== 'number' || n <= 0) return [];
    const form = plural.select(n) === 'one' ? 'one' : 'other';
    return [i18n.t(`admin.inUse.${kind}.${form}` as MessageKey, { n })];
  });
  return parts.length === 0 ? null : parts.join(i18n.t('admin.listSeparator'));
}
