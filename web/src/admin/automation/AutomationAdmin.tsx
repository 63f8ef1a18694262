import {
  Button,
  Card,
  Group,
  Modal,
  NativeSelect,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useCallback, useMemo, useState } from 'react';
import { useApi } from '../../api/ApiContext';
import type {
  AutomationRule,
  AutomationRun,
  AutomationSimulation,
  NewAutomationRule,
} from '../../api/adminApi';
import { useFormAction } from '../../common/forms';
import { useAdminApi, useLoad, useNotifyApi } from '../../common/useLoad';
import { checkTypeLabel } from '../../format/checkType';
import { useI18n } from '../../i18n';
import { FormError } from '../../common/forms';
import { PHONE } from '../../common/media';
import { AdminSection, AdminTable, RowButton, useEditAndDelete } from '../crud';
import { useTenantScopeState } from '../tenantScope';
import { emptyDraft, RuleBuilder, type Choices, type Draft } from './RuleBuilder';
import { RunList } from './RunList';
import { fieldProblem, triggerWords, type Names } from './words';

/** Automation rules: the list with each rule's last run, its history, and the builder. */
export function AutomationAdmin() {
  const { t } = useI18n();
  const i18n = useI18n();
  const api = useAdminApi();
  const phone = useMediaQuery(PHONE);
  const load = useCallback(() => api.automationRules(), [api]);
  const rules = useLoad(load);
  const { choices, names } = useChoices();
  const [history, setHistory] = useState<AutomationRule | null>(null);
  // The builder's unsaved work, by rule ('new' for a new one): the builder leaves the page on a
  // phone's width, and a tablet turned or a window narrowed for a moment must not lose it.
  const unsaved = useUnsavedWork();
  const scope = useTenantScopeState();
  const rows = useEditAndDelete<AutomationRule>({
    testId: 'rule',
    deleteTitle: (name) => t('auto.delete', { name }),
    deleteHelp: t('auto.deleteHelp'),
    remove: (rule) => api.deleteAutomationRule(rule.id),
    onChanged: rules.reload,
  });
  return (
    <AdminSection title={t('auto.title')} help={t('auto.help')} state={rules}>
      {phone && (
        <Text size="sm" c="dimmed" data-testid="rule-phone-note">
          {t('auto.phoneReadOnly')}
        </Text>
      )}
      <AdminTable
        empty={t('auto.none')}
        testId="rule-table"
        rowTestId="rule-row"
        rows={rules.data ?? []}
        rowKey={(r) => r.id}
        columns={[
          { label: t('auto.name'), cell: (r) => <bdi>{r.name}</bdi> },
          { label: t('auto.when'), cell: (r) => triggerWords(r.trigger, names, i18n) },
          {
            label: t('auto.stateColumn'),
            cell: (r) =>
              phone ? (
                <Text size="sm">{r.enabled ? t('auto.enabled') : t('auto.disabled')}</Text>
              ) : (
                <Switch
                  checked={r.enabled}
                  aria-label={t('auto.enabled')}
                  onChange={async (e) => {
                    await api.changeAutomationRule(r.id, { enabled: e.currentTarget.checked });
                    rules.reload();
                  }}
                  data-testid="rule-enabled"
                />
              ),
          },
          {
            label: t('auto.lastRun'),
            cell: (r) =>
              r.lastRun ? (
                <Text size="sm" c={r.lastRun.status === 'ok' ? undefined : 'red'}>
                  {t(`auto.status.${r.lastRun.status}`)}
                  {r.lastRun.error ? ` — ${r.lastRun.error}` : ''}
                </Text>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('auto.never')}
                </Text>
              ),
          },
        ]}
        actions={(r) => (
          <>
            <RowButton onClick={() => setHistory(r)} testId="rule-history">
              {t('auto.history')}
            </RowButton>
            {!phone && rows.buttons(r)}
          </>
        )}
      />
      {rows.deleteDialog}
      {history && <History rule={history} names={names} onClose={() => setHistory(null)} />}
      {!phone && (
        <Builder
          key={rows.editing?.id ?? 'new'}
          rule={rows.editing}
          unsaved={unsaved}
          scope={scope}
          choices={choices}
          names={names}
          onSaved={() => {
            rows.stopEditing();
            rules.reload();
          }}
          onCancel={rows.stopEditing}
        />
      )}
    </AdminSection>
  );
}

function History({
  rule,
  names,
  onClose,
}: {
  rule: AutomationRule;
  names: Names;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const load = useCallback(() => api.automationRuns(rule.id), [api, rule.id]);
  const runs = useLoad(load);
  return (
    <Modal opened onClose={onClose} title={t('auto.historyOf', { name: rule.name })} size="lg">
      {runs.data && runs.data.length === 0 && <Text size="sm">{t('auto.historyNone')}</Text>}
      {runs.data && <RunList runs={runs.data} names={names} showTicket testId="rule-run" />}
      <FormError error={runs.error} />
    </Modal>
  );
}

const SIMULATION_DAYS = [1, 7, 30, 90];

/** The builder's unsaved work by rule, held by the page: it outlives the builder. */
interface UnsavedWork {
  kept: Record<string, Unsaved>;
  change: (key: string, next: (before: Unsaved | undefined) => Unsaved | undefined) => void;
}

function useUnsavedWork(): UnsavedWork {
  const [kept, setKept] = useState<Record<string, Unsaved>>({});
  const change = useCallback<UnsavedWork['change']>(
    (key, next) =>
      setKept((all) => {
        const { [key]: before, ...others } = all;
        const after = next(before);
        return after ? { ...others, [key]: after } : others;
      }),
    [],
  );
  return { kept, change };
}

/** What a person typed in the builder and has not saved yet. */
interface Unsaved {
  draft: Draft;
  tenantId: string;
  days: string;
  /** The last try on past tickets, shown until the draft is saved. */
  simulation: AutomationSimulation | null;
}

function Builder({
  rule,
  unsaved,
  scope,
  choices,
  names,
  onSaved,
  onCancel,
}: {
  rule: AutomationRule | null;
  unsaved: UnsavedWork;
  /** Whether this person files rules per tenant (a global admin) — asked once by the page. */
  scope: ReturnType<typeof useTenantScopeState>;
  choices: Choices;
  names: Names;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const api = useAdminApi();
  const { known: tenantsKnown, tenants } = scope;
  const key = rule?.id ?? 'new';
  const fresh = (): Unsaved => ({
    tenantId: '',
    days: '7',
    simulation: null,
    draft: rule
      ? {
          name: rule.name,
          trigger: rule.trigger,
          match: rule.match,
          conditions: rule.conditions,
          actions: rule.actions,
          maxRunsPerTicket: rule.maxRunsPerTicket,
        }
      : emptyDraft(),
  });
  const { draft, tenantId, days, simulation } = unsaved.kept[key] ?? fresh();
  const keep = (change: Partial<Unsaved>) =>
    unsaved.change(key, (before) => ({ ...(before ?? fresh()), ...change }));
  const setDraft = (next: Draft) => keep({ draft: next });
  const setTenantId = (next: string) => keep({ tenantId: next });
  const setDays = (next: string) => keep({ days: next });
  const setSimulation = (next: AutomationSimulation | null) => keep({ simulation: next });
  const tenantBody = tenants && !rule ? { tenantId: tenantId || tenants[0]?.id } : {};
  const body = () => ({ ...draft, name: draft.name.trim() }) as unknown as NewAutomationRule;
  const simulate = useFormAction(async () => {
    setSimulation(
      await api.simulateAutomation({
        // A draft may be tried before it has a name.
        rule: { ...body(), name: draft.name.trim() || undefined },
        days: Number(days),
        ...(rule ? { ruleId: rule.id } : tenantBody),
      } as Parameters<typeof api.simulateAutomation>[0]),
    );
  });
  const save = useFormAction(
    () =>
      rule
        ? api.changeAutomationRule(rule.id, body())
        : api.createAutomationRule({ ...body(), ...tenantBody }),
    () => {
      // A new rule's builder starts again, keeping the tenant and the days tried.
      unsaved.change(key, () =>
        rule ? undefined : { tenantId, days, draft: emptyDraft(), simulation: null },
      );
      onSaved();
    },
  );
  // A refusal naming a field (`actions[0].body`, fieldPath) is said in words at that field.
  const error = (field: string) => {
    // The simulator's request holds the draft under `rule`: its refusal names rule.actions[0]….
    const message = save.messageFor(field) ?? simulate.messageFor(`rule.${field}`);
    return message === undefined ? undefined : fieldProblem(message, i18n);
  };
  const n = new Intl.NumberFormat(locale);
  return (
    <Card withBorder data-testid="rule-builder">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {rule ? t('auto.editing', { name: rule.name }) : t('auto.builder')}
          </Title>
          {rule && (
            <Button
              variant="subtle"
              size="xs"
              onClick={() => {
                unsaved.change(key, () => undefined);
                onCancel();
              }}
            >
              {t('auto.cancelEdit')}
            </Button>
          )}
        </Group>
        {tenants && !rule && (
          <NativeSelect
            label={t('admin.tenant')}
            value={tenantId || tenants[0]?.id || ''}
            onChange={(e) => setTenantId(e.currentTarget.value)}
            data={tenants.map((x) => ({ value: x.id, label: x.name }))}
            maw={320}
            data-testid="rule-tenant"
          />
        )}
        <RuleBuilder draft={draft} onChange={setDraft} choices={choices} error={error} />
        <Group align="flex-end">
          <NativeSelect
            label={t('auto.simulateDays')}
            value={days}
            onChange={(e) => setDays(e.currentTarget.value)}
            data={SIMULATION_DAYS.map((d) => ({
              value: String(d),
              label: t('auto.daysN', { n: d }),
            }))}
            data-testid="rule-simulate-days"
          />
          <Button
            variant="light"
            onClick={() => simulate.submit()}
            loading={simulate.busy}
            // A global admin's rule names its tenant: not sent before the tenants are known.
            disabled={!tenantsKnown}
            data-testid="rule-simulate"
          >
            {t('auto.simulate')}
          </Button>
          <Button
            onClick={() => save.submit()}
            loading={save.busy}
            disabled={!tenantsKnown}
            data-testid="rule-save"
          >
            {rule ? t('auto.saveChanges') : t('auto.save')}
          </Button>
        </Group>
        <FormError error={save.error ?? simulate.error} />
        {simulation && (
          <Stack gap="xs" data-testid="rule-simulation">
            <Title order={4} size="h5">
              {t('auto.simulation')}
            </Title>
            <Text size="sm">
              {simulation.items.length === 0
                ? t('auto.simulationNone', {
                    days: n.format(Number(days)),
                    tickets: n.format(simulation.ticketsSeen),
                  })
                : t('auto.simulationSome', {
                    n: simulation.items.length,
                    days: n.format(Number(days)),
                    tickets: n.format(simulation.ticketsSeen),
                  })}
            </Text>
            <RunList
              runs={simulation.items as unknown as AutomationRun[]}
              names={names}
              showTicket
              simulated
              testId="rule-simulated"
            />
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** The lists the builder picks from, and every id's name for the words of rules and runs. */
function useChoices(): { choices: Choices; names: Names } {
  const api = useAdminApi();
  const notify = useNotifyApi();
  const client = useApi();
  const i18n = useI18n();
  const load = useCallback(async () => {
    const [branches, groups, people, calendars, replies, policies, types, checks, hooks] =
      await Promise.all([
        api.branches(),
        api.supportGroups(),
        api.assignees(),
        api.calendars(),
        api.cannedReplies(),
        api.policies(),
        client.checkTypes(),
        // Someone who may write rules but not see these lists still builds the others.
        client.checks().catch(() => []),
        notify.subscriptions().catch(() => []),
      ]);
    const webhooks = hooks.filter((s) => s.channel === 'webhook');
    return {
      branches,
      groups,
      people,
      calendars,
      replies,
      policies,
      types: types.items,
      checks,
      webhooks,
    };
  }, [api, client, notify]);
  const data = useLoad(load).data;
  return useMemo(() => {
    const branchName = new Map((data?.branches ?? []).map((b) => [b.id, b.name]));
    const opt = (list: { id: string; name?: string; username?: string }[] | undefined) =>
      (list ?? []).map((x) => ({ value: x.id, label: x.name ?? x.username ?? '' }));
    const choices: Choices = {
      branches: opt(data?.branches),
      groups: opt(data?.groups),
      people: opt(data?.people),
      calendars: opt(data?.calendars),
      replies: opt(data?.replies),
      policies: opt(data?.policies),
      checkTypes: (data?.types ?? []).map((x) => ({
        value: x.type,
        label: checkTypeLabel(x.type, i18n),
      })),
      checks: (data?.checks ?? []).map((c) => ({ value: c.id, label: checkLabel(c, branchName) })),
      webhooks: (data?.webhooks ?? []).map((s) => ({ value: s.id, label: s.address })),
    };
    const names = new Map<string, string>();
    for (const list of Object.values(choices)) for (const o of list) names.set(o.value, o.label);
    return { choices, names };
  }, [data, i18n]);
}

/** A check as a person tells it apart: its name, what it probes and its branch. */
function checkLabel(
  c: { key: string; target?: string | null; branchId?: string | null },
  branches: ReadonlyMap<string, string>,
) {
  const branch = c.branchId ? branches.get(c.branchId) : undefined;
  return `${c.key}${c.target ? ` (${c.target})` : ''}${branch ? ` — ${branch}` : ''}`;
}
