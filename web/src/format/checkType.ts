import type { MessageKey } from '../i18n/en';
import type { I18n } from '../i18n';

/** A probe type in the reader's words ("Ping (ICMP)"); a type the UI does not know as itself. */
export function checkTypeLabel(type: string, { t }: Pick<I18n, 't'>): string {
  const key = `checkType.${type}` as MessageKey;
  const label = t(key);
  return label === key ? type : label;
}
