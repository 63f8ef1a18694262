import { z } from 'zod';
import {
  AUTOMATION_AVAILABILITY_PERIODS,
  AUTOMATION_FIELD_OPERATORS,
  AUTOMATION_FIELDS,
  AUTOMATION_NOTIFY_TARGETS,
  AUTOMATION_OPERATORS,
  AUTOMATION_RUN_STATUSES,
  AUTOMATION_TELEMETRY_FIELDS,
  TICKET_PRIORITIES,
  TICKET_STATES,
} from '@branchwatch/api';
import { timestamp, uuid } from '../http/schemas.js';

const telemetryFields = Object.keys(AUTOMATION_TELEMETRY_FIELDS) as [string, ...string[]];

/** What starts a rule (docs/automation.md "Triggers"). */
export const trigger = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ticket_created') }),
  z.strictObject({ type: z.literal('ticket_changed') }),
  z.strictObject({ type: z.literal('resolved_for'), days: z.number().positive().max(365) }),
  z.strictObject({
    type: z.literal('no_reply_for'),
    businessHours: z.number().positive().max(1000),
    calendarId: z.uuid(),
  }),
  z.strictObject({
    type: z.literal('telemetry'),
    checkType: z.string().trim().min(1).max(40),
    field: z.enum(telemetryFields),
    op: z.enum(['<', '>']),
    value: z.number(),
    /** Only rounds inside this calendar's working hours count. */
    calendarId: z.uuid().nullable().default(null),
  }),
  z.strictObject({
    type: z.literal('availability'),
    period: z.enum(AUTOMATION_AVAILABILITY_PERIODS),
    /** Percent up, e.g. 99.5: the rule fires when the period so far is below it. */
    below: z.number().gt(0).max(100),
    /** One check; null: every branch's WAN check (the role `wan`, as the reports read). */
    checkId: z.uuid().nullable().default(null),
  }),
]);
export type Trigger = z.output<typeof trigger>;

export const condition = z
  .strictObject({
    field: z.enum(AUTOMATION_FIELDS),
    op: z.enum(AUTOMATION_OPERATORS),
    /** A state, priority, id, tag or text; `business_hours` takes none. */
    value: z.string().trim().max(500).nullable().default(null),
    /** For `business_hours`: the SLA calendar whose windows count. */
    calendarId: z.uuid().nullable().default(null),
  })
  .superRefine((c, ctx) => {
    if (!AUTOMATION_FIELD_OPERATORS[c.field].includes(c.op))
      ctx.addIssue({
        code: 'custom',
        path: ['op'],
        message: `${c.op} does not apply to ${c.field}`,
      });
    const needsValue = c.op !== 'is_set' && c.op !== 'is_not_set' && c.field !== 'business_hours';
    if (needsValue && !c.value)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a value is needed' });
    if (c.field === 'business_hours' && !c.calendarId)
      ctx.addIssue({ code: 'custom', path: ['calendarId'], message: 'a calendar is needed' });
  });
export type Condition = z.output<typeof condition>;

const text = z.string().trim().min(1).max(20_000);
export const action = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('assign_person'), userId: z.uuid() }),
  /** The group's own strategy picks the person (round robin, least loaded, or nobody). */
  z.strictObject({ type: z.literal('assign_group'), groupId: z.uuid() }),
  z.strictObject({ type: z.literal('set_priority'), priority: z.enum(TICKET_PRIORITIES) }),
  z.strictObject({ type: z.literal('set_state'), state: z.enum(TICKET_STATES) }),
  z.strictObject({ type: z.literal('set_category'), category: z.string().trim().min(1).max(100) }),
  z.strictObject({ type: z.literal('add_tag'), tag: z.string().trim().min(1).max(100) }),
  z.strictObject({ type: z.literal('remove_tag'), tag: z.string().trim().min(1).max(100) }),
  z.strictObject({ type: z.literal('add_note'), body: text }),
  z.strictObject({ type: z.literal('canned_reply'), cannedReplyId: z.uuid() }),
  z.strictObject({ type: z.literal('set_sla_policy'), policyId: z.uuid() }),
  z.strictObject({ type: z.literal('close') }),
  /** Tells people through their own channels and preferences (docs/notifications.md). */
  z.strictObject({
    type: z.literal('notify'),
    to: z.enum(AUTOMATION_NOTIFY_TARGETS),
    userId: z.uuid().nullable().default(null),
    groupId: z.uuid().nullable().default(null),
    /** Said first in the message; the ticket's (or the link's) facts follow. */
    message: z.string().trim().max(2000).default(''),
  }),
  /** Posts to one of the tenant's webhook subscriptions: signed, retried, guarded. */
  z.strictObject({ type: z.literal('webhook'), subscriptionId: z.uuid() }),
  /** Telemetry rules: opens a ticket on the check's branch (the other actions then act on it). */
  z.strictObject({
    type: z.literal('open_ticket'),
    subject: z.string().trim().min(1).max(200),
    priority: z.enum(TICKET_PRIORITIES),
  }),
]);
export type Action = z.output<typeof action>;

export const ruleFields = {
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean(),
  position: z.number().int().min(0).max(100_000),
  trigger,
  match: z.enum(['all', 'any']),
  conditions: z.array(condition).max(50),
  actions: z.array(action).min(1).max(20),
  /** Loop guard: a rule acts at most this many times on one ticket. */
  maxRunsPerTicket: z.number().int().min(1).max(1000),
};

export const ruleBody = z
  .strictObject({
    ...ruleFields,
    enabled: ruleFields.enabled.default(true),
    position: ruleFields.position.default(0),
    match: ruleFields.match.default('all'),
    conditions: ruleFields.conditions.default([]),
    maxRunsPerTicket: ruleFields.maxRunsPerTicket.default(5),
    /** Global admins name the tenant. */
    tenantId: z.uuid().optional(),
  })
  .superRefine(checkActions);
export type RuleBody = z.output<typeof ruleBody>;

export const rulePatch = z.strictObject(ruleFields).partial();

/** Actions that need no ticket: an availability rule may only tell people. */
const TICKETLESS = new Set(['notify', 'webhook', 'open_ticket']);

function checkActions(
  r: { trigger: Trigger; actions: Action[] },
  ctx: z.core.$RefinementCtx<unknown>,
) {
  const opens = r.actions.findIndex((a) => a.type === 'open_ticket');
  const type = r.trigger.type;
  if (type === 'telemetry' && opens !== 0)
    ctx.addIssue({
      code: 'custom',
      path: ['actions', 0],
      message: 'a telemetry rule starts by opening a ticket',
    });
  if (type === 'availability' && opens > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['actions', opens],
      message: 'an availability rule opens its ticket first',
    });
  if (type === 'availability' && opens < 0) {
    const needs = r.actions.findIndex((a) => !TICKETLESS.has(a.type));
    if (needs >= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['actions', needs],
        message: 'this action needs a ticket: open one first',
      });
  }
  if (type !== 'telemetry' && type !== 'availability' && opens >= 0)
    ctx.addIssue({
      code: 'custom',
      path: ['actions', opens],
      message: 'only a telemetry or availability rule opens a ticket',
    });
  r.actions.forEach((a, i) => {
    if (a.type !== 'notify') return;
    if (a.to === 'person' && !a.userId)
      ctx.addIssue({ code: 'custom', path: ['actions', i, 'userId'], message: 'choose a person' });
    if (a.to === 'group' && !a.groupId)
      ctx.addIssue({ code: 'custom', path: ['actions', i, 'groupId'], message: 'choose a group' });
  });
}

/** A rule as the API answers it. */
export const rule = z.object({
  id: uuid,
  tenantId: uuid,
  name: z.string(),
  enabled: z.boolean(),
  position: z.number(),
  trigger: z.record(z.string(), z.unknown()),
  match: z.enum(['all', 'any']),
  conditions: z.array(z.record(z.string(), z.unknown())),
  actions: z.array(z.record(z.string(), z.unknown())),
  maxRunsPerTicket: z.number(),
  createdAt: timestamp,
  updatedAt: timestamp,
  /** The last evaluation that acted, to say at a glance whether the rule works. */
  lastRun: z
    .object({
      at: timestamp,
      status: z.enum(AUTOMATION_RUN_STATUSES),
      error: z.string().nullable(),
    })
    .nullable(),
});

const conditionResult = z.object({
  field: z.string(),
  op: z.string(),
  value: z.string().nullable(),
  actual: z.unknown(),
  matched: z.boolean(),
});
const actionResult = z.object({
  type: z.string(),
  ok: z.boolean(),
  /** What was done or would be done, as data the UI words (`{ priority: 'high' }`). */
  detail: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
});

/** One evaluation that acted (or was stopped by its guard): the "why" of an automatic change. */
export const run = z.object({
  id: z.number(),
  ruleId: uuid,
  ruleName: z.string(),
  ticketId: uuid.nullable(),
  ticketNumber: z.number().nullable(),
  ticketSubject: z.string().nullable(),
  checkId: uuid.nullable(),
  at: timestamp,
  status: z.enum(AUTOMATION_RUN_STATUSES),
  facts: z.record(z.string(), z.unknown()),
  matched: z.array(conditionResult),
  actions: z.array(actionResult),
  error: z.string().nullable(),
});

export const simulateBody = z
  .strictObject({
    rule: z.strictObject({
      ...ruleFields,
      name: ruleFields.name.default('draft'),
      enabled: ruleFields.enabled.default(true),
      position: ruleFields.position.default(0),
      match: ruleFields.match.default('all'),
      conditions: ruleFields.conditions.default([]),
      maxRunsPerTicket: ruleFields.maxRunsPerTicket.default(5),
    }),
    days: z.number().int().min(1).max(90).default(7),
    /** Editing a saved rule: its own changes on tickets then do not start it again. */
    ruleId: z.uuid().optional(),
    tenantId: z.uuid().optional(),
  })
  .superRefine((b, ctx) => checkActions(b.rule, ctx));

/** What a draft would have done: one entry per evaluation that would have acted. */
export const simulation = z.object({
  from: timestamp,
  to: timestamp,
  ticketsSeen: z.number(),
  roundsSeen: z.number(),
  items: z.array(
    z.object({
      ticketId: uuid.nullable(),
      ticketNumber: z.number().nullable(),
      ticketSubject: z.string().nullable(),
      checkId: uuid.nullable(),
      at: timestamp,
      status: z.enum(AUTOMATION_RUN_STATUSES),
      facts: z.record(z.string(), z.unknown()),
      matched: z.array(conditionResult),
      actions: z.array(actionResult),
    }),
  ),
});
