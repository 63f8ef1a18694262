import type { I18n, MessageKey } from '../../i18n';
import { AUTOMATION_TELEMETRY_FIELDS } from '@branchwatch/api';

/**
 * Rules, conditions, actions and runs in the reader's words (docs/automation.md). Ids are
 * named through `names` (people, groups, branches, calendars, replies, policies): no raw id
 * reaches the page.
 */
export type Names = ReadonlyMap<string, string>;

type Json = Record<string, unknown>;
const str = (v: unknown) =>
  typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);

/** A value of a ticket field as a person reads it. */
export function valueWords(field: string, value: unknown, names: Names, i18n: I18n): string {
  const { t } = i18n;
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map(str).join(', ') : '—';
  const v = str(value);
  if (field === 'state') return t(`ticketState.${v}` as MessageKey);
  if (field === 'priority') return t(`priority.${v}` as MessageKey);
  if (field === 'source') return t(`source.${v}` as MessageKey);
  if (field === 'category') {
    const key = `category.${v}` as MessageKey;
    const word = t(key);
    return word === key ? v : word;
  }
  if (field === 'business_hours') return value === true ? t('auto.yes') : '—';
  return names.get(v) ?? v;
}

export function triggerWords(trigger: Json, names: Names, i18n: I18n): string {
  const { t, locale } = i18n;
  const type = str(trigger.type);
  const base = t(`auto.trigger.${type}` as MessageKey);
  const n = (x: unknown) => new Intl.NumberFormat(locale).format(Number(x));
  if (type === 'resolved_for') return `${base}: ${n(trigger.days)} ${t('auto.unit.days')}`;
  if (type === 'no_reply_for')
    return `${base}: ${n(trigger.businessHours)} ${t('auto.unit.hours')} (${names.get(str(trigger.calendarId)) ?? '—'})`;
  if (type === 'telemetry') {
    const field = str(trigger.field);
    const unit = AUTOMATION_TELEMETRY_FIELDS[field as keyof typeof AUTOMATION_TELEMETRY_FIELDS];
    const op = trigger.op === '<' ? t('auto.below') : t('auto.above');
    return `${base}: ${str(trigger.checkType)} ${field.toUpperCase()} ${op} ${n(trigger.value)}${unit ? ` ${unit}` : ''}`;
  }
  if (type === 'availability') {
    const link = trigger.checkId ? (names.get(str(trigger.checkId)) ?? '—') : t('auto.everyWan');
    const period = t(`auto.period.${str(trigger.period)}` as MessageKey);
    return `${base} ${n(trigger.below)} % ${period} (${link})`;
  }
  return base;
}

export function conditionWords(c: Json, names: Names, i18n: I18n): string {
  const { t } = i18n;
  const field = str(c.field);
  const op = t(`auto.op.${str(c.op)}` as MessageKey);
  const fieldWord = t(`auto.field.${field}` as MessageKey);
  if (field === 'business_hours')
    return `${fieldWord} (${names.get(str(c.calendarId)) ?? '—'}) ${op}`;
  if (c.op === 'is_set' || c.op === 'is_not_set') return `${fieldWord} ${op}`;
  return `${fieldWord} ${op} ${valueWords(field, c.value, names, i18n)}`;
}

export function actionWords(a: Json, names: Names, i18n: I18n): string {
  const { t } = i18n;
  const type = str(a.type);
  const base = t(`auto.action.${type}` as MessageKey);
  const d = (a.detail as Json | undefined) ?? a;
  switch (type) {
    case 'assign_person':
      return `${base}: ${names.get(str(d.userId)) ?? '—'}`;
    case 'assign_group':
      return `${base}: ${names.get(str(d.groupId)) ?? '—'}`;
    case 'set_priority':
      return `${base}: ${valueWords('priority', d.priority, names, i18n)}`;
    case 'set_state':
      return `${base}: ${valueWords('state', d.state, names, i18n)}`;
    case 'set_category':
      return `${base}: ${valueWords('category', d.category, names, i18n)}`;
    case 'add_tag':
    case 'remove_tag':
      return `${base}: ${str(d.tag)}`;
    case 'add_note':
      return `${base}: ${str(d.body)}`;
    case 'canned_reply':
      return `${base}: ${names.get(str(d.cannedReplyId)) ?? str(d.name)}`;
    case 'set_sla_policy':
      return `${base}: ${names.get(str(d.policyId)) ?? '—'}`;
    case 'open_ticket':
      return `${base}: ${str(d.subject)}`;
    case 'notify': {
      const who =
        d.to === 'person'
          ? (names.get(str(d.userId)) ?? '—')
          : d.to === 'group'
            ? (names.get(str(d.groupId)) ?? '—')
            : t('auto.notify.requesters');
      return `${base}: ${who}`;
    }
    case 'webhook':
      return `${base}: ${names.get(str(d.subscriptionId)) ?? str(d.address)}`;
    default:
      return base;
  }
}

/**
 * The hub's refusal of one field of a rule (`actions[0].body: Too small: …`), said in words next
 * to that field: what to do rather than the validator's phrase; another message keeps its own
 * words without the field's name in front.
 */
export function fieldProblem(message: string, { t }: I18n): string {
  if (/does not exist/.test(message)) return t('auto.fieldGone');
  if (/too small|required|is needed|>=1|invalid input|expected (string|number)/i.test(message))
    return t('auto.fieldRequired');
  return message.replace(/^[\w.[\]]+: /, '');
}
