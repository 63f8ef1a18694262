import type { Check } from '../api/types';
import type { I18n } from '../i18n';

export interface StatusLine {
  checkId: string;
  title: string;
  target: string;
  /** What people read: "registered · expires in 3,600 s". */
  text: string;
  good: boolean | null;
}

/**
 * SIP registration and camera status from their checks' last rounds. The hub keeps only the
 * numeric fields of a round: a REGISTER that was accepted has `expires` (RFC 3261 §10.2.4),
 * an ONVIF device that answered has `responseMs`.
 */
export function voiceAndCameraLines(checks: Check[], { t, locale }: I18n): StatusLine[] {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const lines: StatusLine[] = [];
  for (const check of checks) {
    const result = check.lastResult;
    if (check.type === 'sip') {
      const expires = result?.fields.expires;
      const registered = result !== null && result.status === 'ok' && typeof expires === 'number';
      const parts = [
        result === null
          ? t('result.none')
          : t(registered ? 'branch.sipRegistered' : 'branch.sipNotRegistered'),
      ];
      if (registered) parts.push(t('branch.sipExpires', { s: number.format(expires) }));
      if (result?.status === 'failed' && result.reason) parts.push(result.reason);
      lines.push({
        checkId: check.id,
        title: t('branch.sip'),
        target: check.target,
        text: parts.join(t('result.separator')),
        good: result === null ? null : registered,
      });
    } else if (check.type === 'onvif') {
      const ok = result !== null && result.status === 'ok';
      const parts = [
        result === null ? t('result.none') : t(ok ? 'branch.cameraOk' : 'branch.cameraDown'),
      ];
      const drift = result?.fields.driftSeconds;
      if (typeof drift === 'number' && drift !== 0) {
        parts.push(t('branch.cameraDrift', { s: number.format(drift) }));
      }
      if (result?.status === 'failed' && result.reason) parts.push(result.reason);
      lines.push({
        checkId: check.id,
        title: t('branch.camera'),
        target: check.target,
        text: parts.join(t('result.separator')),
        good: result === null ? null : ok,
      });
    }
  }
  return lines;
}

/** SNMP devices: interfaces up of those watched (per-interface rates are not stored yet). */
export function interfaceLines(checks: Check[], { t }: I18n): StatusLine[] {
  return checks
    .filter((c) => c.type === 'snmp')
    .map((check) => {
      const fields = check.lastResult?.fields ?? {};
      const { interfaces, interfacesUp } = fields;
      const known = typeof interfaces === 'number' && typeof interfacesUp === 'number';
      return {
        checkId: check.id,
        title: check.key,
        target: check.target,
        text: known
          ? t('branch.interfacesUp', { up: interfacesUp, total: interfaces })
          : (check.lastResult?.reason ?? t('result.none')),
        good: known ? interfacesUp === interfaces : check.lastResult === null ? null : false,
      };
    });
}
