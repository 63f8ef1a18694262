import { Group, Input, NativeSelect, NumberInput, Pill, Stack, Text } from '@mantine/core';
import { Fragment, useEffect, useRef, useState } from 'react';
import { renamed } from './holidayNames';
import { useI18n, type MessageKey } from '../i18n';
import type { AdminApi, CalendarDefaults, SlaCalendar, SlaPolicy } from '../api/adminApi';
import { AdminSection, AdminTable, FormCard, RowButton, useDraft, type Named } from './crud';
import { SlaEscalations } from './SlaEscalations';
import { useAdminApi, useLoadAll } from '../common/useLoad';
import { useFormAction } from '../common/forms';
import { Choices } from '../common/forms';
import { formatHoursRange } from '../format/numbers';
import { formatDay } from '../format/zone';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const HOUR_MS = 3_600_000;
const TARGETS = [
  ['firstResponseMs', 'admin.sla.firstResponseHours'],
  ['resolutionMs', 'admin.sla.resolutionHours'],
] as const;

/** SLA calendars (working hours, holidays) and the policies that use them. */
export function SlaAdmin() {
  const { t, locale } = useI18n();
  const api = useAdminApi();
  const data = useLoadAll(api, calendarsAndPolicies);
  const [escalating, setEscalating] = useState<SlaPolicy | null>(null);
  const hours = (ms: number | null) =>
    ms === null
      ? t('common.none')
      : t('admin.hours', { n: new Intl.NumberFormat(locale).format(ms / HOUR_MS) });
  const calendarName = (id: string) => data.data?.calendars.find((c) => c.id === id)?.name ?? id;
  // Each day with its hours on one line ("Sat 08:00–16:00" never breaks at the dash), the
  // hours in the reader's digits and left to right in every language.
  const week = (c: SlaCalendar) =>
    WEEKDAYS.filter((d) => c.spec.week[d]?.length).map((d, i) => (
      <Fragment key={d}>
        {i > 0 && t('admin.listSeparator')}
        <span style={{ whiteSpace: 'nowrap' }} data-testid="sla-day">
          {t(`weekday.${d}` as MessageKey)}{' '}
          {/* Each range left to right on its own; the list between them in the reader's
              direction (one isolate for all put a Persian day's second range first). */}
          {c.spec.week[d]!.map((range, j) => (
            <Fragment key={range}>
              {j > 0 && t('admin.listSeparator')}
              <bdi dir="ltr">{formatHoursRange(range, locale)}</bdi>
            </Fragment>
          ))}
        </span>
      </Fragment>
    ));
  return (
    <AdminSection title={t('admin.sla.title')} help={t('admin.sla.help')} state={data}>
      <Text fw={500}>{t('admin.sla.calendars')}</Text>
      <NewCalendar onCreated={data.reload} />
      <AdminTable
        testId="calendar-table"
        rows={data.data?.calendars ?? []}
        rowKey={(c) => c.id}
        columns={[
          { label: t('admin.name'), cell: (c) => c.name },
          { label: t('admin.branches.timeZone'), ltr: true, cell: (c) => c.spec.zone },
          { label: t('admin.sla.week'), cell: week },
        ]}
        onRemove={(c) => api.deleteCalendar(c.id)}
        onChanged={data.reload}
      />
      <Text fw={500}>{t('admin.sla.policies')}</Text>
      <NewPolicy calendars={data.data?.calendars ?? []} onCreated={data.reload} />
      <AdminTable
        testId="policy-table"
        rowTestId="policy-row"
        rows={data.data?.policies ?? []}
        rowKey={(p) => p.id}
        columns={[
          { label: t('admin.name'), cell: (p) => p.name },
          { label: t('admin.sla.calendar'), cell: (p) => calendarName(p.calendarId) },
          { label: t('admin.sla.firstResponse'), cell: (p) => hours(p.firstResponseMs) },
          { label: t('admin.sla.resolution'), cell: (p) => hours(p.resolutionMs) },
          {
            label: t('admin.sla.escalations'),
            cell: (p) => (p.escalations ?? []).map((e) => e.name).join(t('admin.listSeparator')),
          },
        ]}
        actions={(p) => (
          <RowButton onClick={() => setEscalating(p)} testId="policy-escalations">
            {t('admin.sla.editEscalations')}
          </RowButton>
        )}
        onRemove={(p) => api.deletePolicy(p.id)}
        onChanged={data.reload}
      />
      {escalating && (
        <SlaEscalations
          policy={escalating}
          onClose={() => setEscalating(null)}
          onSaved={() => {
            setEscalating(null);
            data.reload();
          }}
        />
      )}
    </AdminSection>
  );
}

/**
 * A new calendar starts from the tenant's defaults (the zone most of its branches keep, that
 * country's working week, hours and public holidays: docs/sla.md "Calendar defaults"), shown in
 * the form; a person changes any of it, and a new zone brings that zone's defaults.
 */
function NewCalendar({ onCreated }: { onCreated: () => void }) {
  const { t, locale, language } = useI18n();
  const api = useAdminApi();
  const draft = useDraft({ name: '', zone: '', hours: '' });
  const { name, zone, hours } = draft.values;
  const [days, setDays] = useState<string[]>([]);
  const [holidays, setHolidays] = useState<CalendarDefaults['holidays']>([]);
  const [defaults, setDefaults] = useState<CalendarDefaults | null>(null);
  const apply = (d: CalendarDefaults) => {
    setDefaults(d);
    draft.set('zone', d.zone);
    const week = Object.entries(d.week);
    setDays(week.map(([day]) => day));
    draft.set('hours', week[0]?.[1]?.[0] ?? '09:00-17:00');
    setHolidays(d.holidays);
  };
  const load = (z?: string) => {
    api.calendarDefaults(language, z).then(apply, () => undefined);
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps -- once, in the language of the form's first showing
  useEffect(() => load(), []);
  // Another language: the holidays kept so far take their names in it (the dataset's, else the
  // country's own language); the person's other choices stay as they are.
  const shownIn = useRef(language);
  useEffect(() => {
    if (shownIn.current === language || !zone) return;
    shownIn.current = language;
    api.calendarDefaults(language, zone).then(
      (d) => setHolidays((kept) => renamed(kept, d.holidays)),
      () => undefined,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on a change of language only
  }, [language]);
  const form = useFormAction(
    () =>
      api.createCalendar({
        name,
        spec: {
          zone,
          week: Object.fromEntries(days.map((d) => [d, [hours]])),
          holidays: holidays.map((h) => ({ date: h.date, name: h.name })),
        },
      }),
    () => {
      draft.reset('name');
      onCreated();
    },
  );
  const country =
    defaults?.country && new Intl.DisplayNames([locale], { type: 'region' }).of(defaults.country);
  const below = (
    <Stack gap="xs">
      <Choices
        label={t('admin.sla.days')}
        value={days}
        values={WEEKDAYS}
        labelOf={(d) => t(`weekday.${d}`)}
        onChange={setDays}
      />
      <Input.Wrapper
        label={t('admin.sla.holidays', { n: holidays.length })}
        description={
          country ? t('admin.sla.holidaysOf', { country }) : t('admin.sla.noHolidayData')
        }
      >
        <Group gap={6} mt={4} data-testid="sla-holidays">
          {holidays.map((h) => (
            <Pill
              key={`${h.date} ${h.name}`}
              withRemoveButton
              onRemove={() => setHolidays((all) => all.filter((x) => x !== h))}
              removeButtonProps={{ 'aria-label': t('admin.sla.removeHoliday', { name: h.name }) }}
              data-testid="sla-holiday"
            >
              {formatDay(h.date, locale)} · <bdi>{h.name}</bdi>
            </Pill>
          ))}
        </Group>
      </Input.Wrapper>
    </Stack>
  );
  return (
    <FormCard form={form} submitLabel={t('admin.sla.createCalendar')} below={below}>
      {draft.field(form, 'name', t('admin.name'), { required: true })}
      {draft.field(form, 'zone', t('admin.branches.timeZone'), {
        ltr: true,
        hubName: 'spec',
        testId: 'calendar-zone',
        onBlur: () => {
          if (zone && zone !== defaults?.zone) load(zone);
        },
      })}
      {draft.field(form, 'hours', t('admin.sla.hours'), {
        ltr: true,
        hubName: 'spec.week',
        testId: 'calendar-hours',
      })}
    </FormCard>
  );
}

const calendarsAndPolicies = (api: AdminApi) => ({
  calendars: api.calendars(),
  policies: api.policies(),
});

function NewPolicy({ calendars, onCreated }: { calendars: Named[]; onCreated: () => void }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const draft = useDraft({ name: '', calendarId: '' });
  const { name, calendarId } = draft.values;
  const [firstResponse, setFirstResponse] = useState<number | string>(4);
  const [resolution, setResolution] = useState<number | string>(24);
  const calendar = calendarId || calendars[0]?.id || '';
  const ms = (h: number | string) => (typeof h === 'number' ? Math.round(h * HOUR_MS) : null);
  const form = useFormAction(
    () =>
      api.createPolicy({
        name,
        calendarId: calendar,
        firstResponseMs: ms(firstResponse),
        resolutionMs: ms(resolution),
      }),
    () => {
      draft.reset('name');
      onCreated();
    },
  );
  if (calendars.length === 0) return <Text c="dimmed">{t('admin.sla.needCalendar')}</Text>;
  return (
    <FormCard form={form} submitLabel={t('admin.sla.createPolicy')}>
      {draft.field(form, 'name', t('admin.name'), { required: true })}
      <NativeSelect
        label={t('admin.sla.calendar')}
        value={calendar}
        onChange={(e) => draft.set('calendarId', e.currentTarget.value)}
        data={calendars.map((c) => ({ value: c.id, label: c.name }))}
      />
      {TARGETS.map(([target, label]) => (
        <NumberInput
          key={target}
          label={t(label)}
          min={0}
          w={150}
          value={target === 'firstResponseMs' ? firstResponse : resolution}
          onChange={target === 'firstResponseMs' ? setFirstResponse : setResolution}
          error={form.messageFor(target)}
        />
      ))}
    </FormCard>
  );
}
