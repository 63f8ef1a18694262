/**
 * Automation rules (docs/automation.md): what starts a rule, what it may test and what it may
 * do. The hub's schemas and the web's builder are both made of these lists.
 */

/**
 * `ticket_created`, `ticket_changed`: a ticket's history grew. `resolved_for`: a ticket stayed
 * resolved for some days. `no_reply_for`: nobody answered for some business hours on an SLA
 * calendar. `telemetry`: a measured field of a check's round crossed a value (during business
 * hours on a calendar, when one is named). `availability`: a branch's WAN link (or one check) was
 * up less than a share of this month or week so far, from the rollups the reports read.
 */
export const AUTOMATION_TRIGGERS = [
  'ticket_created',
  'ticket_changed',
  'resolved_for',
  'no_reply_for',
  'telemetry',
  'availability',
] as const;
export type AutomationTrigger = (typeof AUTOMATION_TRIGGERS)[number];

/** Ticket facts a condition may test. `business_hours` is true inside a calendar's windows. */
export const AUTOMATION_FIELDS = [
  'state',
  'priority',
  'category',
  'source',
  'branch',
  'group',
  'assignee',
  'tags',
  'requester',
  'subject',
  'business_hours',
] as const;
export type AutomationField = (typeof AUTOMATION_FIELDS)[number];

export const AUTOMATION_OPERATORS = ['is', 'is_not', 'contains', 'is_set', 'is_not_set'] as const;
export type AutomationOperator = (typeof AUTOMATION_OPERATORS)[number];

/** Which operators fit each field (free text may be searched; ids and enumerations are not). */
export const AUTOMATION_FIELD_OPERATORS: Readonly<
  Record<AutomationField, readonly AutomationOperator[]>
> = {
  state: ['is', 'is_not'],
  priority: ['is', 'is_not'],
  category: ['is', 'is_not', 'is_set', 'is_not_set'],
  source: ['is', 'is_not'],
  branch: ['is', 'is_not', 'is_set', 'is_not_set'],
  group: ['is', 'is_not', 'is_set', 'is_not_set'],
  assignee: ['is', 'is_not', 'is_set', 'is_not_set'],
  tags: ['contains', 'is_not', 'is_set', 'is_not_set'],
  requester: ['is', 'contains', 'is_set', 'is_not_set'],
  subject: ['contains', 'is'],
  business_hours: ['is', 'is_not'],
};

export const AUTOMATION_ACTIONS = [
  'assign_person',
  'assign_group',
  'set_priority',
  'set_state',
  'set_category',
  'add_tag',
  'remove_tag',
  'add_note',
  'canned_reply',
  'notify',
  'webhook',
  'set_sla_policy',
  'close',
  'open_ticket',
] as const;
export type AutomationAction = (typeof AUTOMATION_ACTIONS)[number];

/** Who a `notify` action tells: one person, a support group's members, the branch's requesters. */
export const AUTOMATION_NOTIFY_TARGETS = ['person', 'group', 'requesters'] as const;
export type AutomationNotifyTarget = (typeof AUTOMATION_NOTIFY_TARGETS)[number];

/** The stretch an `availability` trigger measures: the calendar month or week so far. */
export const AUTOMATION_AVAILABILITY_PERIODS = ['month', 'week'] as const;
export type AutomationAvailabilityPeriod = (typeof AUTOMATION_AVAILABILITY_PERIODS)[number];

/** The measured fields a telemetry trigger may watch, with their unit. */
export const AUTOMATION_TELEMETRY_FIELDS = {
  mos: '',
  loss: '%',
  jitter: 'ms',
  median: 'ms',
  p95: 'ms',
} as const;
export type AutomationTelemetryField = keyof typeof AUTOMATION_TELEMETRY_FIELDS;

/**
 * What became of one evaluation: `ok` (every action done), `failed` (an action failed; the
 * others still ran), `guarded` (the cap on runs per ticket stopped the rule).
 */
export const AUTOMATION_RUN_STATUSES = ['ok', 'failed', 'guarded'] as const;
export type AutomationRunStatus = (typeof AUTOMATION_RUN_STATUSES)[number];

/**
 * The name of a field inside a rule, as the hub's refusals give it and the builder looks it up:
 * `fieldPath('actions', 0, 'body')` is `actions[0].body` (the form of docs/automation.md and of
 * every other 400 `BW_ERR_VALIDATION`, packages/contract formatPath).
 */
export function fieldPath(...path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out;
}
