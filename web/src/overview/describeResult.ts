import { formatMilliseconds, formatPercent } from '../format/numbers';
import type { I18n } from '../i18n';
import type { Check, CheckResult } from '../api/types';

/**
 * One line saying what a check's last round measured, e.g. "median 12 ms · loss 0 %" for icmp,
 * "connect 3.1 ms" for tcp, or why it failed.
 */
export function describeResult(check: Pick<Check, 'type' | 'lastResult'>, i18n: I18n): string {
  const result = check.lastResult;
  if (result === null) return i18n.t('result.none');

  switch (check.type) {
    case 'icmp':
      return describeIcmp(result, i18n);
    case 'tcp':
      return describeTcp(result, i18n);
    case 'http':
      return describeHttp(result, i18n);
    case 'dns':
      return describeMs(result, i18n, 'resolveMs', 'result.dns');
    default:
      return describeOther(result, i18n);
  }
}

function describeIcmp(result: CheckResult, { t, locale }: I18n): string {
  const { median, loss } = result.fields;
  const parts: string[] = [];
  // A failed round still says how much was lost (100 % when nothing answered), which
  // matters more than the reason alone.
  if (result.status === 'failed') parts.push(result.reason ?? t('result.failed'));
  if (typeof median === 'number') {
    parts.push(t('result.median', { ms: formatMilliseconds(median, locale) }));
  }
  if (typeof loss === 'number') {
    parts.push(t('result.loss', { percent: formatPercent(loss, locale) }));
  }
  return parts.length > 0 ? parts.join(t('result.separator')) : t('result.ok');
}

function describeTcp(result: CheckResult, { t, locale }: I18n): string {
  if (result.status === 'failed') return result.reason ?? t('result.failed');
  const { connect } = result.fields;
  return typeof connect === 'number'
    ? t('result.connect', { ms: formatMilliseconds(connect, locale) })
    : t('result.ok');
}

function describeHttp(result: CheckResult, { t, locale }: I18n): string {
  const { statusCode, total } = result.fields;
  const measured =
    typeof statusCode === 'number' && typeof total === 'number'
      ? t('result.http', { code: String(statusCode), ms: formatMilliseconds(total, locale) })
      : null;
  if (result.status === 'failed') {
    const reason = result.reason ?? t('result.failed');
    return measured ? `${reason}${t('result.separator')}${measured}` : reason;
  }
  return measured ?? t('result.ok');
}

function describeMs(
  result: CheckResult,
  { t, locale }: I18n,
  field: string,
  key: 'result.dns',
): string {
  if (result.status === 'failed') return result.reason ?? t('result.failed');
  const value = result.fields[field];
  return typeof value === 'number'
    ? t(key, { ms: formatMilliseconds(value, locale) })
    : t('result.ok');
}

/** Probe types this UI does not know yet: the reason, or the raw fields by name. */
function describeOther(result: CheckResult, { t, locale }: I18n): string {
  if (result.status === 'failed') return result.reason ?? t('result.failed');
  const measured = Object.entries(result.fields)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, value]) => `${name} ${new Intl.NumberFormat(locale).format(value)}`);
  return measured.length > 0 ? measured.join(t('result.separator')) : t('result.ok');
}
