import {
  Button,
  Group,
  NativeSelect,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import {
  AUTOMATION_ACTIONS,
  AUTOMATION_AVAILABILITY_PERIODS,
  AUTOMATION_FIELD_OPERATORS,
  AUTOMATION_FIELDS,
  AUTOMATION_NOTIFY_TARGETS,
  AUTOMATION_TELEMETRY_FIELDS,
  AUTOMATION_TRIGGERS,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATES,
  TICKET_SOURCES,
  fieldPath,
  type AutomationField,
} from '@branchwatch/api';
import { useI18n, type MessageKey } from '../../i18n';
import { RuleRows } from './RuleRows';

export type Json = Record<string, unknown>;
export interface Draft {
  name: string;
  trigger: Json;
  match: 'all' | 'any';
  conditions: Json[];
  actions: Json[];
  maxRunsPerTicket: number;
}

export interface Option {
  value: string;
  label: string;
}
/** The lists a rule picks from, by name. */
export interface Choices {
  branches: Option[];
  groups: Option[];
  people: Option[];
  calendars: Option[];
  replies: Option[];
  policies: Option[];
  checkTypes: Option[];
  /** Checks an availability rule may watch instead of every branch's WAN link. */
  checks: Option[];
  /** The tenant's webhook subscriptions, by address. */
  webhooks: Option[];
}

export const emptyDraft = (): Draft => ({
  name: '',
  trigger: { type: 'ticket_changed' },
  match: 'all',
  conditions: [],
  actions: [{ type: 'add_tag', tag: '' }],
  maxRunsPerTicket: 5,
});

const TRIGGER_DEFAULTS: Record<string, Json> = {
  ticket_created: { type: 'ticket_created' },
  ticket_changed: { type: 'ticket_changed' },
  resolved_for: { type: 'resolved_for', days: 7 },
  no_reply_for: { type: 'no_reply_for', businessHours: 2, calendarId: '' },
  telemetry: {
    type: 'telemetry',
    checkType: 'voice',
    field: 'mos',
    op: '<',
    value: 3.5,
    calendarId: null,
  },
  availability: { type: 'availability', period: 'month', below: 99.5, checkId: null },
};

/** Actions that need no ticket: all an availability rule may do here. */
const TICKETLESS = ['notify', 'webhook'];
const NOTIFY_DEFAULT: Json = {
  type: 'notify',
  to: 'group',
  userId: null,
  groupId: '',
  message: '',
};

const ACTION_DEFAULTS: Record<string, Json> = {
  assign_person: { userId: '' },
  assign_group: { groupId: '' },
  set_priority: { priority: 'high' },
  set_state: { state: 'in_progress' },
  set_category: { category: 'network' },
  add_tag: { tag: '' },
  remove_tag: { tag: '' },
  add_note: { body: '' },
  canned_reply: { cannedReplyId: '' },
  set_sla_policy: { policyId: '' },
  close: {},
  open_ticket: { subject: '', priority: 'high' },
  notify: { to: 'person', userId: '', groupId: null, message: '' },
  webhook: { subscriptionId: '' },
};

/** A select whose first entry asks to choose. */
function Pick(props: {
  label: string;
  value: string;
  options: Option[];
  onChange: (v: string) => void;
  testId?: string;
  error?: string;
}) {
  const { t } = useI18n();
  return (
    <NativeSelect
      label={props.label}
      error={props.error}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      data={[{ value: '', label: t('auto.pick') }, ...props.options]}
      data-testid={props.testId}
    />
  );
}

/** The builder: trigger, conditions and actions as rows, nothing typed as JSON. */
export function RuleBuilder({
  draft,
  onChange,
  choices,
  error,
}: {
  draft: Draft;
  onChange: (d: Draft) => void;
  choices: Choices;
  error: (field: string) => string | undefined;
}) {
  const { t } = useI18n();
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  const telemetry = draft.trigger.type === 'telemetry';
  const availability = draft.trigger.type === 'availability';
  const enumOptions = (values: readonly string[], prefix: string) =>
    values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }));
  return (
    <Stack gap="sm">
      <TextInput
        label={t('auto.name')}
        value={draft.name}
        onChange={(e) => set({ name: e.currentTarget.value })}
        error={error('name')}
        required
        data-testid="rule-name"
        maw={480}
      />
      <TriggerEditor
        trigger={draft.trigger}
        choices={choices}
        error={error}
        onChange={(trigger) => {
          const opens = trigger.type === 'telemetry';
          let actions = draft.actions.filter((a) => a.type !== 'open_ticket');
          if (trigger.type === 'availability') {
            actions = actions.filter((a) => TICKETLESS.includes(String(a.type)));
            if (!actions.length) actions = [NOTIFY_DEFAULT];
          }
          set({
            trigger,
            actions: opens
              ? [{ type: 'open_ticket', ...ACTION_DEFAULTS.open_ticket }, ...actions]
              : actions,
          });
        }}
      />
      {!telemetry && !availability && (
        <Stack gap={4}>
          <Group gap="sm" align="center">
            <Text fw={600}>{t('auto.match')}</Text>
            <SegmentedControl
              size="xs"
              value={draft.match}
              onChange={(v) => set({ match: v as Draft['match'] })}
              data={[
                { value: 'all', label: t('auto.match.all') },
                { value: 'any', label: t('auto.match.any') },
              ]}
              data-testid="rule-match"
            />
          </Group>
          {draft.conditions.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('auto.noConditions')}
            </Text>
          )}
          <RuleRows
            items={draft.conditions}
            onChange={(conditions) => set({ conditions })}
            testId="condition"
            render={(c, change, i) => {
              const field = c.field as AutomationField;
              const ops = AUTOMATION_FIELD_OPERATORS[field];
              const needsValue =
                c.op !== 'is_set' && c.op !== 'is_not_set' && field !== 'business_hours';
              const valueOptions: Record<string, Option[] | undefined> = {
                state: enumOptions(TICKET_STATES, 'ticketState'),
                priority: enumOptions(TICKET_PRIORITIES, 'priority'),
                source: enumOptions(TICKET_SOURCES, 'source'),
                category: enumOptions(TICKET_CATEGORIES, 'category'),
                branch: choices.branches,
                group: choices.groups,
                assignee: choices.people,
              };
              const opts = valueOptions[field];
              return (
                <>
                  <NativeSelect
                    label={t('auto.field')}
                    value={field}
                    onChange={(e) => {
                      const f = e.currentTarget.value as AutomationField;
                      change({
                        field: f,
                        op: AUTOMATION_FIELD_OPERATORS[f][0],
                        value: null,
                        calendarId: null,
                      });
                    }}
                    data={AUTOMATION_FIELDS.map((f) => ({
                      value: f,
                      label: t(`auto.field.${f}` as MessageKey),
                    }))}
                    data-testid="condition-field"
                  />
                  <NativeSelect
                    label={t('auto.op')}
                    value={String(c.op)}
                    onChange={(e) => change({ ...c, op: e.currentTarget.value })}
                    data={ops.map((o) => ({ value: o, label: t(`auto.op.${o}` as MessageKey) }))}
                    data-testid="condition-op"
                  />
                  {field === 'business_hours' && (
                    <Pick
                      label={t('auto.calendar')}
                      value={String(c.calendarId ?? '')}
                      options={choices.calendars}
                      onChange={(v) => change({ ...c, calendarId: v || null })}
                      testId="condition-calendar"
                    />
                  )}
                  {needsValue &&
                    (opts ? (
                      <Pick
                        label={t('auto.value')}
                        value={String(c.value ?? '')}
                        options={opts}
                        onChange={(v) => change({ ...c, value: v || null })}
                        testId="condition-value"
                      />
                    ) : (
                      <TextInput
                        label={t('auto.value')}
                        value={String(c.value ?? '')}
                        onChange={(e) => change({ ...c, value: e.currentTarget.value })}
                        error={error(fieldPath('conditions', i, 'value'))}
                        dir="auto"
                        data-testid="condition-text"
                      />
                    ))}
                </>
              );
            }}
          />
          <Group>
            <Button
              variant="light"
              size="xs"
              onClick={() =>
                set({
                  conditions: [
                    ...draft.conditions,
                    { field: 'priority', op: 'is', value: 'urgent', calendarId: null },
                  ],
                })
              }
              data-testid="condition-add"
            >
              {t('auto.addCondition')}
            </Button>
          </Group>
        </Stack>
      )}
      <Stack gap={4}>
        <Text fw={600}>{t('auto.actions')}</Text>
        <RuleRows
          items={draft.actions}
          onChange={(actions) => set({ actions })}
          testId="action"
          render={(a, change, i) => (
            <ActionEditor
              action={a}
              onChange={change}
              choices={choices}
              error={error}
              index={i}
              ticketless={availability}
            />
          )}
        />
        <Group>
          <Button
            variant="light"
            size="xs"
            onClick={() =>
              set({
                actions: [
                  ...draft.actions,
                  availability ? NOTIFY_DEFAULT : { type: 'add_tag', tag: '' },
                ],
              })
            }
            data-testid="action-add"
          >
            {t('auto.addAction')}
          </Button>
        </Group>
        {error('actions') && (
          <Text size="sm" c="red">
            {error('actions')}
          </Text>
        )}
      </Stack>
      <NumberInput
        label={t('auto.maxRuns')}
        description={t('auto.maxRunsHelp')}
        value={draft.maxRunsPerTicket}
        min={1}
        max={1000}
        onChange={(v) => set({ maxRunsPerTicket: Number(v) || 1 })}
        maw={320}
        data-testid="rule-max-runs"
      />
    </Stack>
  );
}

function TriggerEditor({
  trigger,
  onChange,
  choices,
  error,
}: {
  trigger: Json;
  onChange: (t: Json) => void;
  choices: Choices;
  error: (field: string) => string | undefined;
}) {
  const { t } = useI18n();
  const type = String(trigger.type);
  return (
    <Group align="flex-end" gap="xs">
      <NativeSelect
        label={t('auto.trigger')}
        value={type}
        onChange={(e) => onChange(TRIGGER_DEFAULTS[e.currentTarget.value]!)}
        data={AUTOMATION_TRIGGERS.map((x) => ({
          value: x,
          label: t(`auto.trigger.${x}` as MessageKey),
        }))}
        data-testid="rule-trigger"
      />
      {type === 'resolved_for' && (
        <NumberInput
          label={t('auto.days')}
          value={Number(trigger.days)}
          min={1}
          max={365}
          onChange={(v) => onChange({ ...trigger, days: Number(v) || 1 })}
          rightSection={<Text size="xs">{t('auto.unit.days')}</Text>}
          rightSectionWidth={60}
          w={160}
          data-testid="trigger-days"
        />
      )}
      {type === 'no_reply_for' && (
        <>
          <NumberInput
            label={t('auto.businessHours')}
            value={Number(trigger.businessHours)}
            min={1}
            max={1000}
            onChange={(v) => onChange({ ...trigger, businessHours: Number(v) || 1 })}
            w={160}
            data-testid="trigger-hours"
          />
          <Pick
            label={t('auto.calendar')}
            value={String(trigger.calendarId ?? '')}
            options={choices.calendars}
            onChange={(v) => onChange({ ...trigger, calendarId: v })}
            testId="trigger-calendar"
          />
        </>
      )}
      {type === 'telemetry' && (
        <>
          <NativeSelect
            label={t('auto.checkType')}
            value={String(trigger.checkType)}
            onChange={(e) => onChange({ ...trigger, checkType: e.currentTarget.value })}
            data={choices.checkTypes}
            data-testid="trigger-check-type"
          />
          <NativeSelect
            label={t('auto.measure')}
            value={String(trigger.field)}
            onChange={(e) => onChange({ ...trigger, field: e.currentTarget.value })}
            data={Object.entries(AUTOMATION_TELEMETRY_FIELDS).map(([f, unit]) => ({
              value: f,
              label: unit ? `${f.toUpperCase()} (${unit})` : f.toUpperCase(),
            }))}
            data-testid="trigger-field"
          />
          <NativeSelect
            label={t('auto.op')}
            value={String(trigger.op)}
            onChange={(e) => onChange({ ...trigger, op: e.currentTarget.value })}
            data={[
              { value: '<', label: t('auto.below') },
              { value: '>', label: t('auto.above') },
            ]}
            data-testid="trigger-op"
          />
          <NumberInput
            label={t('auto.value')}
            value={Number(trigger.value)}
            decimalScale={2}
            onChange={(v) => onChange({ ...trigger, value: Number(v) })}
            w={120}
            data-testid="trigger-value"
          />
          <NativeSelect
            label={t('auto.calendar')}
            value={String(trigger.calendarId ?? '')}
            onChange={(e) => onChange({ ...trigger, calendarId: e.currentTarget.value || null })}
            data={[{ value: '', label: t('auto.anyTime') }, ...choices.calendars]}
            data-testid="trigger-calendar"
          />
        </>
      )}
      {type === 'availability' && (
        <>
          <NativeSelect
            label={t('auto.period')}
            value={String(trigger.period)}
            onChange={(e) => onChange({ ...trigger, period: e.currentTarget.value })}
            data={AUTOMATION_AVAILABILITY_PERIODS.map((p) => ({
              value: p,
              label: t(`auto.period.${p}` as MessageKey),
            }))}
            data-testid="trigger-period"
          />
          <NumberInput
            label={t('auto.belowPercent')}
            value={Number(trigger.below)}
            min={1}
            max={100}
            step={0.1}
            decimalScale={3}
            suffix=" %"
            onChange={(v) => onChange({ ...trigger, below: Number(v) || 0 })}
            maw={140}
            data-testid="trigger-below"
          />
          <NativeSelect
            label={t('auto.link')}
            value={String(trigger.checkId ?? '')}
            onChange={(e) => onChange({ ...trigger, checkId: e.currentTarget.value || null })}
            data={[{ value: '', label: t('auto.everyWan') }, ...choices.checks]}
            data-testid="trigger-check"
          />
        </>
      )}
      {error('trigger') && (
        <Text size="sm" c="red">
          {error('trigger')}
        </Text>
      )}
    </Group>
  );
}

function ActionEditor({
  action,
  onChange,
  choices,
  error,
  index,
  ticketless,
}: {
  action: Json;
  onChange: (a: Json) => void;
  choices: Choices;
  error: (field: string) => string | undefined;
  index: number;
  /** An availability rule: only the actions that need no ticket. */
  ticketless: boolean;
}) {
  const { t } = useI18n();
  const type = String(action.type);
  const text = (key: string, label: string, testId: string) => (
    <TextInput
      label={label}
      value={String(action[key] ?? '')}
      onChange={(e) => onChange({ ...action, [key]: e.currentTarget.value })}
      error={error(fieldPath('actions', index, key))}
      dir="auto"
      data-testid={testId}
    />
  );
  const pick = (key: string, label: string, options: Option[], testId: string) => (
    <Pick
      label={label}
      value={String(action[key] ?? '')}
      options={options}
      onChange={(v) => onChange({ ...action, [key]: v })}
      testId={testId}
      error={error(fieldPath('actions', index, key))}
    />
  );
  const enumPick = (key: string, values: readonly string[], prefix: string, label: string) =>
    pick(
      key,
      label,
      values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) })),
      `action-${key}`,
    );
  return (
    <>
      <NativeSelect
        label={t('auto.action')}
        value={type}
        onChange={(e) =>
          onChange({ type: e.currentTarget.value, ...ACTION_DEFAULTS[e.currentTarget.value] })
        }
        data={AUTOMATION_ACTIONS.filter(
          (a) => a === type || (a !== 'open_ticket' && (!ticketless || TICKETLESS.includes(a))),
        ).map((a) => ({
          value: a,
          label: t(`auto.action.${a}` as MessageKey),
        }))}
        disabled={type === 'open_ticket'}
        data-testid="action-type"
      />
      {type === 'assign_person' &&
        pick('userId', t('auto.person'), choices.people, 'action-person')}
      {type === 'assign_group' && pick('groupId', t('auto.group'), choices.groups, 'action-group')}
      {type === 'set_priority' &&
        enumPick('priority', TICKET_PRIORITIES, 'priority', t('auto.field.priority'))}
      {type === 'set_state' &&
        enumPick('state', TICKET_STATES, 'ticketState', t('auto.field.state'))}
      {type === 'set_category' &&
        enumPick('category', TICKET_CATEGORIES, 'category', t('auto.field.category'))}
      {(type === 'add_tag' || type === 'remove_tag') && text('tag', t('auto.tag'), 'action-tag')}
      {type === 'add_note' && (
        <Textarea
          label={t('auto.note')}
          value={String(action.body ?? '')}
          onChange={(e) => onChange({ ...action, body: e.currentTarget.value })}
          error={error(fieldPath('actions', index, 'body'))}
          autosize
          minRows={1}
          dir="auto"
          style={{ flex: 1, minWidth: 220 }}
          data-testid="action-note"
        />
      )}
      {type === 'canned_reply' &&
        pick('cannedReplyId', t('auto.reply'), choices.replies, 'action-reply')}
      {type === 'set_sla_policy' &&
        pick('policyId', t('auto.policy'), choices.policies, 'action-policy')}
      {type === 'notify' && (
        <>
          <NativeSelect
            label={t('auto.notifyWho')}
            value={String(action.to)}
            onChange={(e) => {
              const to = e.currentTarget.value;
              onChange({
                ...action,
                to,
                userId: to === 'person' ? '' : null,
                groupId: to === 'group' ? '' : null,
              });
            }}
            data={AUTOMATION_NOTIFY_TARGETS.map((x) => ({
              value: x,
              label: t(`auto.notify.${x}` as MessageKey),
            }))}
            data-testid="action-notify-to"
          />
          {action.to === 'person' &&
            pick('userId', t('auto.person'), choices.people, 'action-person')}
          {action.to === 'group' &&
            pick('groupId', t('auto.group'), choices.groups, 'action-group')}
          {text('message', t('auto.message'), 'action-message')}
        </>
      )}
      {type === 'webhook' &&
        pick('subscriptionId', t('auto.webhook'), choices.webhooks, 'action-webhook')}
      {type === 'open_ticket' && (
        <>
          {text('subject', t('auto.subject'), 'action-subject')}
          {enumPick('priority', TICKET_PRIORITIES, 'priority', t('auto.field.priority'))}
        </>
      )}
    </>
  );
}
