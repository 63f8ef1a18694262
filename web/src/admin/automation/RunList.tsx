import { Badge, Group, List, Stack, Text } from '@mantine/core';
import type { AutomationRun } from '../../api/adminApi';
import { RelativeTime } from '../../common/RelativeTime';
import { useNow } from '../../common/useNow';
import { formatTicketNumber } from '../../format/numbers';
import { useI18n, type MessageKey } from '../../i18n';
import { actionWords, conditionWords, valueWords, type Names } from './words';

type RunLike = Pick<
  AutomationRun,
  'at' | 'status' | 'matched' | 'actions' | 'ticketNumber' | 'ticketSubject' | 'facts'
> & { ruleName?: string; error?: string | null };

const COLORS: Record<string, string> = { ok: 'teal', failed: 'red', guarded: 'orange' };

/**
 * Runs (or simulated runs) as a person reads them: what the rule did, each action with its
 * outcome, and why: every condition with the value it found.
 */
export function RunList({
  runs,
  names,
  showRule,
  showTicket,
  simulated,
  testId,
}: {
  runs: RunLike[];
  names: Names;
  showRule?: boolean;
  showTicket?: boolean;
  /** What a draft would have done: "would act" rather than "acted". */
  simulated?: boolean;
  testId: string;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const now = useNow();
  return (
    <Stack gap="sm">
      {runs.map((run, i) => (
        <Stack key={i} gap={4} data-testid={testId} data-status={run.status}>
          <Group gap="xs" wrap="wrap">
            <Badge color={COLORS[run.status]} variant="light">
              {simulated && run.status === 'ok'
                ? t('auto.status.would')
                : t(`auto.status.${run.status}` as MessageKey)}
            </Badge>
            {showRule && run.ruleName && (
              <Text size="sm" fw={600}>
                {t('auto.ruleActed', { name: run.ruleName })}
              </Text>
            )}
            {showTicket && run.ticketNumber !== null && (
              <Text size="sm" fw={600}>
                {t('auto.ticketN', { number: formatTicketNumber(run.ticketNumber, locale) })}{' '}
                <bdi>{run.ticketSubject}</bdi>
              </Text>
            )}
            {showTicket && run.ticketNumber === null && typeof run.facts.check === 'string' && (
              <Text size="sm" fw={600}>
                {t('auto.check', { name: run.facts.check })}:{' '}
                {String(run.facts.field).toUpperCase()}{' '}
                {new Intl.NumberFormat(locale).format(Number(run.facts.value))}
              </Text>
            )}
            <RelativeTime at={String(run.at)} now={now} size="sm" c="dimmed" />
          </Group>
          <List size="sm" spacing={2}>
            {run.actions.map((a, j) => (
              <List.Item key={j} c={a.ok || run.status === 'ok' ? undefined : 'red'}>
                {actionWords(a as Record<string, unknown>, names, i18n)}
                {a.error && (
                  <Text span size="sm" c="red">
                    {' — '}
                    {a.error}
                  </Text>
                )}
              </List.Item>
            ))}
          </List>
          {run.matched.length > 0 && (
            <Text size="xs" c="dimmed">
              {t('auto.because')}{' '}
              {run.matched
                .map((m) => {
                  const words = conditionWords(m as Record<string, unknown>, names, i18n);
                  // "is urgent" needs no "(urgent)"; "is not closed" says what it was.
                  if (m.op === 'is') return words;
                  return `${words} (${valueWords(String(m.field), m.actual, names, i18n)})`;
                })
                .join(' · ')}
            </Text>
          )}
        </Stack>
      ))}
    </Stack>
  );
}
