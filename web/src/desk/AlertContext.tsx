import { Anchor, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Check, DeskTicket } from '../api/types';
import { linkTo } from '../app/router';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { chartHref } from './workflow';

/**
 * For a ticket an alert opened: the check, what it last measured, and the branch chart around
 * the moment the ticket opened (the opening message already carries the figures at that time).
 */
export function AlertContext({ ticket, now }: { ticket: DeskTicket; now: number }) {
  const api = useApi();
  const { t, locale } = useI18n();
  const [check, setCheck] = useState<Check | null>(null);
  useEffect(() => {
    if (ticket.checkId === null) return;
    api.checks().then(
      (checks) => setCheck(checks.find((c) => c.id === ticket.checkId) ?? null),
      () => setCheck(null),
    );
  }, [api, ticket.checkId]);
  const chart = chartHref(ticket, now);
  const fields = Object.entries(check?.lastResult?.fields ?? {});
  return (
    <Paper withBorder p="sm" data-testid="alert-context">
      <Title order={3} size="h6" mb="xs">
        {t('desk.alert.title')}
        {check !== null && (
          <Text span ff="monospace" size="sm" dir="ltr" ms="xs">
            {check.key} → {check.target}
          </Text>
        )}
      </Title>
      {check !== null && check.lastResult !== null && (
        <>
          <Text size="xs" c="dimmed" mb={4}>
            {t('desk.alert.measurements')} · {t('desk.alert.lastResult')}{' '}
            <RelativeTime at={check.lastResult.at} now={now} />
          </Text>
          <SimpleGrid cols={3} spacing={4} data-testid="alert-measurements">
            {check.lastResult.reason !== null && (
              <Text size="sm" style={{ gridColumn: '1 / -1' }}>
                {check.lastResult.reason}
              </Text>
            )}
            {fields.map(([name, value]) => (
              <Text key={name} size="sm">
                <Text span c="dimmed" size="xs">
                  {name}{' '}
                </Text>
                {value === null
                  ? '—'
                  : typeof value === 'number'
                    ? new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value)
                    : String(value)}
              </Text>
            ))}
          </SimpleGrid>
        </>
      )}
      {chart !== null && (
        <Anchor size="sm" mt="xs" display="block" {...linkTo(chart)} data-testid="alert-chart-link">
          {t('desk.alert.chart')}
        </Anchor>
      )}
    </Paper>
  );
}
