import {
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import { FormError, LoadState, SectionHeader } from './common';
import { errorField, useAdminApi, useLoad } from './useLoad';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const HOUR_MS = 3_600_000;

/** SLA calendars (working hours, holidays) and the policies that use them. */
export function SlaAdmin() {
  const { t, locale } = useI18n();
  const api = useAdminApi();
  const load = useCallback(async () => {
    const [calendars, policies] = await Promise.all([api.calendars(), api.policies()]);
    return { calendars, policies };
  }, [api]);
  const data = useLoad(load);
  const hours = (ms: number | null) =>
    ms === null
      ? t('common.none')
      : t('admin.hours', { n: new Intl.NumberFormat(locale).format(ms / HOUR_MS) });
  const calendarName = (id: string) => data.data?.calendars.find((c) => c.id === id)?.name ?? id;
  return (
    <>
      <SectionHeader title={t('admin.sla.title')} help={t('admin.sla.help')} />
      <LoadState error={data.error} loading={data.data === null}>
        <Text fw={500}>{t('admin.sla.calendars')}</Text>
        <NewCalendar onCreated={data.reload} />
        <Table verticalSpacing="xs" data-testid="calendar-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.name')}</Table.Th>
              <Table.Th>{t('admin.branches.timeZone')}</Table.Th>
              <Table.Th>{t('admin.sla.week')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data.data?.calendars ?? []).map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{c.name}</Table.Td>
                <Table.Td dir="ltr">{c.spec.zone}</Table.Td>
                <Table.Td>
                  {WEEKDAYS.filter((d) => c.spec.week[d]?.length)
                    .map(
                      (d) =>
                        `${t(`weekday.${d}` as MessageKey)} ${c.spec.week[d]!.join(t('admin.listSeparator'))}`,
                    )
                    .join(t('admin.listSeparator'))}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => void api.deleteCalendar(c.id).then(data.reload, data.reload)}
                  >
                    {t('admin.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text fw={500}>{t('admin.sla.policies')}</Text>
        <NewPolicy calendars={data.data?.calendars ?? []} onCreated={data.reload} />
        <Table verticalSpacing="xs" data-testid="policy-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.name')}</Table.Th>
              <Table.Th>{t('admin.sla.calendar')}</Table.Th>
              <Table.Th>{t('admin.sla.firstResponse')}</Table.Th>
              <Table.Th>{t('admin.sla.resolution')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data.data?.policies ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{calendarName(p.calendarId)}</Table.Td>
                <Table.Td>{hours(p.firstResponseMs)}</Table.Td>
                <Table.Td>{hours(p.resolutionMs)}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => void api.deletePolicy(p.id).then(data.reload, data.reload)}
                  >
                    {t('admin.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </LoadState>
    </>
  );
}

function NewCalendar({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [name, setName] = useState('');
  const [zone, setZone] = useState('Asia/Tehran');
  const [hours, setHours] = useState('08:00-16:00');
  const [days, setDays] = useState<string[]>(['sat', 'sun', 'mon', 'tue', 'wed']);
  const [error, setError] = useState<unknown>(null);
  const field = errorField(error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const week = Object.fromEntries(days.map((d) => [d, [hours]]));
      await api.createCalendar({ name, spec: { zone, week, holidays: [] } });
      setName('');
      setError(null);
      onCreated();
    } catch (cause) {
      setError(cause);
    }
  };
  return (
    <Card withBorder component="form" onSubmit={(e) => void submit(e)}>
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput
            label={t('admin.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={field === 'name' || undefined}
          />
          <TextInput
            label={t('admin.branches.timeZone')}
            dir="ltr"
            value={zone}
            onChange={(e) => setZone(e.currentTarget.value)}
            error={field === 'spec.zone' || undefined}
          />
          <TextInput
            label={t('admin.sla.hours')}
            dir="ltr"
            value={hours}
            onChange={(e) => setHours(e.currentTarget.value)}
            error={field?.startsWith('spec.week') || undefined}
          />
          <Button type="submit">{t('admin.sla.createCalendar')}</Button>
        </Group>
        <Checkbox.Group value={days} onChange={setDays} label={t('admin.sla.days')}>
          <Group gap="sm" mt={4}>
            {WEEKDAYS.map((d) => (
              <Checkbox key={d} value={d} label={t(`weekday.${d}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <FormError error={error} />
      </Stack>
    </Card>
  );
}

function NewPolicy({
  calendars,
  onCreated,
}: {
  calendars: { id: string; name: string }[];
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [name, setName] = useState('');
  const [calendarId, setCalendarId] = useState('');
  const [firstResponse, setFirstResponse] = useState<number | string>(4);
  const [resolution, setResolution] = useState<number | string>(24);
  const [error, setError] = useState<unknown>(null);
  const calendar = calendarId || calendars[0]?.id || '';
  const ms = (h: number | string) => (typeof h === 'number' ? Math.round(h * HOUR_MS) : null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.createPolicy({
        name,
        calendarId: calendar,
        firstResponseMs: ms(firstResponse),
        resolutionMs: ms(resolution),
      });
      setName('');
      setError(null);
      onCreated();
    } catch (cause) {
      setError(cause);
    }
  };
  if (calendars.length === 0) return <Text c="dimmed">{t('admin.sla.needCalendar')}</Text>;
  return (
    <Card withBorder component="form" onSubmit={(e) => void submit(e)}>
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput
            label={t('admin.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <NativeSelect
            label={t('admin.sla.calendar')}
            value={calendar}
            onChange={(e) => setCalendarId(e.currentTarget.value)}
            data={calendars.map((c) => ({ value: c.id, label: c.name }))}
          />
          <NumberInput
            label={t('admin.sla.firstResponseHours')}
            min={0}
            value={firstResponse}
            onChange={setFirstResponse}
            w={150}
          />
          <NumberInput
            label={t('admin.sla.resolutionHours')}
            min={0}
            value={resolution}
            onChange={setResolution}
            w={150}
          />
          <Button type="submit">{t('admin.sla.createPolicy')}</Button>
        </Group>
        <FormError error={error} />
      </Stack>
    </Card>
  );
}
