import { Alert, Badge, Chip, Group, Input, NativeSelect, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import {
  RECURRENCE_WEEKDAYS,
  recurrenceRuleText,
  type RecurrenceFrequency,
  type RecurrenceWeekday,
} from '@branchwatch/api';
import type { AdminApi, MaintenanceWindow } from '../api/adminApi';
import type { Branch } from '../api/types';
import { dayInZone, instantInZone, zoneName } from '../format/zone';
import { useI18n, type MessageKey } from '../i18n';
import { AdminSection, AdminTable, BranchSelect, FormCard, useDraft } from './crud';
import { useAdminApi, useLoadAll } from '../common/useLoad';
import { fieldRefusal, useFormAction } from '../common/forms';
import { describeWindow } from './maintenanceWords';

/**
 * Maintenance windows (docs/alerts.md "Maintenance windows"): one-off or recurring (an RFC 5545
 * rule), made and read on the branch's clock, each said in words in the reader's language.
 */
export function MaintenanceAdmin() {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useAdminApi();
  const data = useLoadAll(api, windowsAndBranches);
  const [now] = useState(() => Date.now());
  const branches = data.data?.branches ?? [];
  const zoneOf = (w: MaintenanceWindow) =>
    w.zone ?? branches.find((b) => b.id === w.scopeId)?.timeZone ?? 'UTC';
  return (
    <AdminSection
      title={t('admin.maintenance.title')}
      help={t('admin.maintenance.help')}
      state={data}
    >
      <NewWindow branches={branches} onCreated={data.reload} />
      <AdminTable
        testId="maintenance-table"
        rowTestId="maintenance-row"
        rows={data.data?.windows ?? []}
        rowKey={(w) => w.id}
        columns={[
          {
            label: t('admin.alerts.scope'),
            cell: (w) =>
              branches.find((b) => b.id === w.scopeId)?.name ?? t(`admin.scope.${w.scope}`),
          },
          { label: t('admin.maintenance.reason'), cell: (w) => w.reason || t('common.none') },
          {
            label: t('admin.maintenance.when'),
            cell: (w) => {
              const words = describeWindow(w, zoneOf(w), i18n, now);
              return (
                <Stack gap={2} data-testid="maintenance-when">
                  <Text size="sm">{words.when}</Text>
                  {words.days && (
                    <Text size="xs" c="dimmed">
                      {words.days}
                    </Text>
                  )}
                  {words.past && (
                    <Badge color="gray" variant="light" data-testid="maintenance-ended">
                      {t('admin.maintenance.ended')}
                    </Badge>
                  )}
                </Stack>
              );
            },
          },
        ]}
        onRemove={(w) => api.deleteMaintenance(w.id)}
        onChanged={data.reload}
      />
    </AdminSection>
  );
}

const windowsAndBranches = (api: AdminApi) => ({
  windows: api.maintenance(),
  branches: api.branches(),
});

type Repeat = 'once' | RecurrenceFrequency;
const REPEATS: Repeat[] = ['once', 'DAILY', 'WEEKLY', 'MONTHLY'];

const SHORT = {
  MO: 'mon',
  TU: 'tue',
  WE: 'wed',
  TH: 'thu',
  FR: 'fri',
  SA: 'sat',
  SU: 'sun',
} as const satisfies Record<RecurrenceWeekday, string>;

/** The weekdays as the reader's week runs: from Saturday in Persian, else from Monday. */
const weekOf = (language: string): RecurrenceWeekday[] =>
  language === 'fa' ? ['SA', 'SU', 'MO', 'TU', 'WE', 'TH', 'FR'] : [...RECURRENCE_WEEKDAYS];

function NewWindow({ branches, onCreated }: { branches: Branch[]; onCreated: () => void }) {
  const i18n = useI18n();
  const { t, locale, language } = i18n;
  const api = useAdminApi();
  const [branchId, setBranchId] = useState('');
  const [repeat, setRepeat] = useState<Repeat>('once');
  const [weekdays, setWeekdays] = useState<RecurrenceWeekday[]>([]);
  const branch = branches.find((b) => b.id === branchId) ?? branches[0];
  const zone = branch?.timeZone ?? 'UTC';
  // "Now" as the form opened: minutes of drift do not matter for a window wholly in the past.
  const [now] = useState(() => Date.now());
  const draft = useDraft({
    reason: '',
    startsAt: '',
    endsAt: '',
    start: '22:00',
    end: '02:00',
    monthDay: '1',
    from: dayInZone(now, branches[0]?.timeZone ?? 'UTC'),
    until: '',
  });
  const v = draft.values;
  const rule = (): string | null => {
    if (repeat === 'once') return null;
    return recurrenceRuleText({
      frequency: repeat,
      interval: 1,
      weekdays,
      monthDays: [Number(v.monthDay)],
    });
  };
  const form = useFormAction(
    async () => {
      const common = { scope: 'branch' as const, scopeId: branch?.id ?? '', reason: v.reason };
      if (repeat === 'once') {
        // The fields are on the branch's clock, whatever this browser's zone.
        const at = (local: string) =>
          Number.isNaN(instantInZone(local, zone))
            ? ''
            : new Date(instantInZone(local, zone)).toISOString();
        return api.createMaintenance({ ...common, startsAt: at(v.startsAt), endsAt: at(v.endsAt) });
      }
      if (repeat === 'WEEKLY' && weekdays.length === 0) {
        throw fieldRefusal('recurrence.rule', t('admin.maintenance.pickDay'));
      }
      return api.createMaintenance({
        ...common,
        recurrence: {
          rule: rule()!,
          from: v.from,
          until: v.until || null,
          start: v.start,
          end: v.end,
        },
      });
    },
    () => {
      draft.reset('reason');
      onCreated();
    },
  );
  if (branches.length === 0) return null;
  const clock = t('admin.maintenance.zone', { zone: zoneName(zone, locale) });
  const words = (() => {
    if (repeat === 'once') {
      const ends = instantInZone(v.endsAt, zone);
      return { preview: null, past: ends < now };
    }
    if (repeat === 'WEEKLY' && weekdays.length === 0) return { preview: null, past: false };
    if (!/^\d\d:\d\d$/.test(v.start) || !/^\d\d:\d\d$/.test(v.end)) {
      return { preview: null, past: false };
    }
    const recurrence = {
      rule: rule()!,
      from: v.from,
      until: v.until || null,
      start: v.start,
      end: v.end,
    };
    const said = describeWindow(
      { startsAt: null, endsAt: null, weekly: null, recurrence },
      zone,
      i18n,
      now,
    );
    return { preview: said.when, past: said.past };
  })();
  const below = (
    <>
      {words.preview && (
        <Text size="sm" data-testid="maintenance-preview">
          {words.preview}
        </Text>
      )}
      {words.past && (
        <Alert color="yellow" data-testid="maintenance-past">
          {t('admin.maintenance.past')}
        </Alert>
      )}
    </>
  );
  const week = weekOf(language);
  return (
    <FormCard form={form} submitLabel={t('admin.maintenance.create')} below={below}>
      <BranchSelect
        branches={branches}
        value={branchId}
        onChange={setBranchId}
        testId="maintenance-branch"
      />
      {draft.field(form, 'reason', t('admin.maintenance.reason'))}
      <NativeSelect
        label={t('admin.maintenance.repeat')}
        value={repeat}
        onChange={(e) => setRepeat(e.currentTarget.value as Repeat)}
        data={REPEATS.map((r) => ({
          value: r,
          label: t(`admin.maintenance.repeat.${r.toLowerCase()}` as MessageKey),
        }))}
        data-testid="maintenance-repeat"
      />
      {repeat === 'once' ? (
        <>
          {draft.field(form, 'startsAt', t('range.from'), {
            type: 'datetime-local',
            required: true,
            description: clock,
            testId: 'maintenance-from',
          })}
          {draft.field(form, 'endsAt', t('range.to'), {
            type: 'datetime-local',
            required: true,
            description: clock,
            testId: 'maintenance-to',
          })}
        </>
      ) : (
        <>
          {repeat === 'WEEKLY' && (
            <Input.Wrapper
              label={t('admin.maintenance.weekdays')}
              error={form.messageFor('recurrence.rule')}
            >
              <Chip.Group
                multiple
                value={weekdays}
                onChange={(days) => setWeekdays(days as RecurrenceWeekday[])}
              >
                <Group gap={4} wrap="wrap" data-testid="maintenance-weekdays">
                  {week.map((d) => (
                    <Chip key={d} value={d} size="xs">
                      {t(`weekday.${SHORT[d]}`)}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            </Input.Wrapper>
          )}
          {repeat === 'MONTHLY' &&
            draft.field(form, 'monthDay', t('admin.maintenance.monthDay'), {
              type: 'number',
              min: 1,
              max: 31,
              hubName: 'recurrence.rule',
              w: 110,
            })}
          {draft.field(form, 'start', t('admin.maintenance.startTime'), {
            type: 'time',
            required: true,
            description: clock,
            hubName: 'recurrence.start',
            testId: 'maintenance-start',
          })}
          {draft.field(form, 'end', t('admin.maintenance.endTime'), {
            type: 'time',
            required: true,
            description: t('admin.maintenance.endsNextDay'),
            hubName: 'recurrence.end',
            testId: 'maintenance-end',
          })}
          {draft.field(form, 'from', t('admin.maintenance.firstDay'), {
            type: 'date',
            required: true,
            hubName: 'recurrence.from',
            testId: 'maintenance-first-day',
          })}
          {draft.field(form, 'until', t('admin.maintenance.lastDay'), {
            type: 'date',
            hubName: 'recurrence.until',
            testId: 'maintenance-last-day',
          })}
        </>
      )}
    </FormCard>
  );
}
