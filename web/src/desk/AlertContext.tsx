import { Anchor, Group, Paper, Text, Title } from '@mantine/core';
import { measurementLine } from '@branchwatch/api';
import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { Check, DeskTicket } from '../api/types';
import { linkTo } from '../app/router';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { chartHref } from './workflow';

/**
 * For a ticket an alert opened: the check, what it last measured (in words, with units), and
 * the branch chart around the moment the ticket opened.
 */
export function AlertContext({ ticket, now }: { ticket: DeskTicket; now: number }) {
  const api = useApi();
  const { t, language } = useI18n();
  const [check, setCheck] = useState<Check | null>(null);
  useEffect(() => {
    if (ticket.checkId === null) return;
    api.checks().then(
      (checks) => setCheck(checks.find((c) => c.id === ticket.checkId) ?? null),
      () => setCheck(null),
    );
  }, [api, ticket.checkId]);
  const chart = chartHref(ticket, now);
  const last = check?.lastResult ?? null;
  const numbers = Object.fromEntries(
    Object.entries(last?.fields ?? {}).filter(
      (e): e is [string, number | null] => e[1] === null || typeof e[1] === 'number',
    ),
  );
  const measured = measurementLine(numbers, { language });
  return (
    <Paper withBorder p="sm" data-testid="alert-context">
      <Group gap="xs" mb="xs" wrap="wrap">
        <Title order={3} size="h6">
          {t('desk.alert.title')}
        </Title>
        {check !== null && (
          <Text span ff="monospace" size="sm" dir="ltr">
            {check.key} → {check.target}
          </Text>
        )}
      </Group>
      {last !== null && (
        <>
          <Text size="xs" c="dimmed" mb={4}>
            {t('desk.alert.measurements')} · {t('desk.alert.lastResult')}{' '}
            <RelativeTime at={last.at} now={now} />
          </Text>
          <div data-testid="alert-measurements">
            {last.reason !== null && (
              <Text size="sm">
                <bdi>{last.reason}</bdi>
              </Text>
            )}
            {measured.length > 0 && (
              <Text size="sm">
                {measured.map((part, i) =>
                  typeof part === 'string' ? (
                    part
                  ) : (
                    <bdi key={i}>{'value' in part ? part.value : part.text}</bdi>
                  ),
                )}
              </Text>
            )}
          </div>
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
