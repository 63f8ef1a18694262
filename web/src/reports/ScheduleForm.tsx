import {
  MultiSelect,
  NativeSelect,
  SegmentedControl,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useCallback, useState } from 'react';
import type { Language } from '@branchwatch/api';
import { useApi } from '../api/ApiContext';
import type { ApiAnswer, ApiBody, Branch } from '../api/types';
import { FormDialog } from '../common/FormDialog';
import { Choices, fieldRefusal, useFormAction } from '../common/forms';
import { timeZoneChoices } from '../common/timeZones';
import { useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { hourText, isMailAddress, weekdayName, type ScheduledReport } from './scheduleWords';

type Body = ApiBody<'/api/v1/reports/schedules', 'post'>;
type People = ApiAnswer<'/api/v1/reports/schedules/people', 'get'>['items'];
const FORMATS = ['pdf', 'xlsx', 'csv'] as const;
const FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;

/** Adds or edits a scheduled report: what, how often and when, which files, to whom. */
export function ScheduleForm({
  schedule,
  tenantId,
  branches,
  languages,
  onClose,
  onSaved,
}: {
  schedule: ScheduledReport | null;
  /** A global admin's chosen tenant for a new schedule; null for everyone else. */
  tenantId: string | null;
  branches: Branch[];
  languages: readonly Language[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const tenant = schedule?.tenantId ?? tenantId;
  const loadPeople = useCallback(
    () =>
      api
        .send<{ items: People }>(
          'GET',
          `/api/v1/reports/schedules/people${tenant ? `?tenant=${tenant}` : ''}`,
        )
        .then((a) => a.items),
    [api, tenant],
  );
  const people = useLoad(loadPeople).data ?? [];
  const known = new Set(people.map((p) => p.email));
  const [name, setName] = useState(schedule?.name ?? '');
  const [branchId, setBranchId] = useState(schedule?.branchId ?? '');
  const [frequency, setFrequency] = useState<Body['frequency']>(schedule?.frequency ?? 'weekly');
  const [weekday, setWeekday] = useState(schedule?.weekday ?? 6);
  const [calendar, setCalendar] = useState<NonNullable<Body['calendar']>>(
    schedule?.calendar ?? (i18n.language === 'fa' ? 'persian' : 'gregorian'),
  );
  const [hour, setHour] = useState(schedule?.hour ?? 7);
  const [timeZone, setTimeZone] = useState(
    schedule?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [language, setLanguage] = useState<Language>(
    (schedule?.language as Language | undefined) ?? i18n.language,
  );
  const [formats, setFormats] = useState<string[]>(schedule?.formats ?? ['pdf']);
  // Recipients the hub holds are split into people (known addresses) and typed ones once the
  // people are loaded; until then all are typed.
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [typed, setTyped] = useState<string[] | null>(null);
  const saved = schedule?.recipients ?? [];
  const peopleChosen = chosen ?? saved.filter((a) => known.has(a));
  const typedShown = typed ?? saved.filter((a) => !known.has(a));

  const form = useFormAction(async () => {
    const recipients = [...new Set([...peopleChosen, ...typedShown])];
    const bad = typedShown.find((a) => !isMailAddress(a));
    if (bad) throw fieldRefusal('recipients', t('schedules.badAddress', { address: bad }));
    if (recipients.length === 0) throw fieldRefusal('recipients', t('schedules.needRecipient'));
    if (formats.length === 0) throw fieldRefusal('formats', t('schedules.needFormat'));
    const body = {
      name: name.trim(),
      branchId: branchId || null,
      frequency,
      hour,
      weekday,
      calendar,
      timeZone,
      language,
      formats: formats as Body['formats'],
      recipients,
    };
    if (schedule) await api.send('PATCH', `/api/v1/reports/schedules/${schedule.id}`, body);
    else
      await api.send('POST', '/api/v1/reports/schedules', {
        ...body,
        ...(tenantId ? { tenantId } : {}),
      });
  }, onSaved);

  return (
    <FormDialog
      title={schedule ? t('schedules.editTitle', { name: schedule.name }) : t('schedules.newTitle')}
      form={form}
      onClose={onClose}
      testId="schedule-form"
      saveTestId="schedule-save"
    >
      <Stack gap="sm">
        <TextInput
          label={t('schedules.name')}
          description={t('schedules.nameHint')}
          value={name}
          required
          onChange={(e) => setName(e.currentTarget.value)}
          error={form.messageFor('name')}
          data-testid="schedule-name-input"
        />
        <NativeSelect
          label={t('schedules.branch')}
          value={branchId}
          onChange={(e) => setBranchId(e.currentTarget.value)}
          data={[
            { value: '', label: t('schedules.allBranches') },
            ...branches.map((b) => ({ value: b.id, label: b.name })),
          ]}
          error={form.messageFor('branchId')}
          data-testid="schedule-branch"
        />
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('schedules.frequency')}
          </Text>
          <SegmentedControl
            fullWidth
            value={frequency}
            onChange={(v) => setFrequency(v as Body['frequency'])}
            data={FREQUENCIES.map((f) => ({
              value: f,
              label: t(`schedules.frequency.${f}` as MessageKey),
            }))}
            data-testid="schedule-frequency"
          />
        </div>
        {frequency === 'weekly' && (
          <NativeSelect
            label={t('schedules.weekday')}
            value={String(weekday)}
            onChange={(e) => setWeekday(Number(e.currentTarget.value))}
            data={[6, 0, 1, 2, 3, 4, 5].map((d) => ({
              value: String(d),
              label: weekdayName(d, i18n),
            }))}
            data-testid="schedule-weekday"
          />
        )}
        {frequency === 'monthly' && (
          <NativeSelect
            label={t('schedules.calendar')}
            value={calendar}
            onChange={(e) => setCalendar(e.currentTarget.value as typeof calendar)}
            data={(['gregorian', 'persian'] as const).map((c) => ({
              value: c,
              label: t(`schedules.calendar.${c}`),
            }))}
            data-testid="schedule-calendar"
          />
        )}
        <NativeSelect
          label={t('schedules.hour')}
          value={String(hour)}
          onChange={(e) => setHour(Number(e.currentTarget.value))}
          data={Array.from({ length: 24 }, (_, h) => ({
            value: String(h),
            label: hourText(h, i18n),
          }))}
          data-testid="schedule-hour"
        />
        <NativeSelect
          label={t('schedules.timeZone')}
          value={timeZone}
          onChange={(e) => setTimeZone(e.currentTarget.value)}
          data={timeZoneChoices(timeZone)}
          error={form.messageFor('timeZone')}
          data-testid="schedule-zone"
        />
        <NativeSelect
          label={t('schedules.language')}
          value={language}
          onChange={(e) => setLanguage(e.currentTarget.value as Language)}
          data={languages.map((l) => ({ value: l, label: t(`language.${l}` as MessageKey) }))}
          data-testid="schedule-language"
        />
        <Choices
          label={t('schedules.formats')}
          value={formats}
          values={FORMATS}
          labelOf={(f) => t(`schedules.format.${f}`)}
          onChange={setFormats}
          error={form.messageFor('formats')}
          testId="schedule-formats"
        />
        <MultiSelect
          label={t('schedules.people')}
          description={t('schedules.peopleHint')}
          value={peopleChosen}
          onChange={setChosen}
          data={people.map((p) => ({ value: p.email, label: `${p.username} · ${p.email}` }))}
          searchable
          data-testid="schedule-people"
        />
        <TagsInput
          label={t('schedules.addresses')}
          description={t('schedules.addressesHint')}
          value={typedShown}
          onChange={setTyped}
          error={form.messageFor('recipients')}
          data-testid="schedule-addresses"
        />
      </Stack>
    </FormDialog>
  );
}
