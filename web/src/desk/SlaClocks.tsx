import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { DeskTicketDetail, SlaClockView } from '../api/types';
import { formatAbsolute } from '../format/relativeTime';
import { useI18n } from '../i18n';
import { countdown, durationMessage, type ClockPhase } from './countdown';

const phaseColor: Record<ClockPhase, string> = {
  running: 'blue',
  dueSoon: 'orange',
  paused: 'gray',
  met: 'green',
  breached: 'red',
};

interface SlaClocksProps {
  clocks: DeskTicketDetail['clocks'];
  fetchedAt: number;
  now: number;
}

/** First response and resolution, counting down every second between reads of the ticket. */
export function SlaClocks({ clocks, fetchedAt, now }: SlaClocksProps) {
  const { t } = useI18n();
  const both = [
    ['firstResponse', clocks.firstResponse],
    ['resolution', clocks.resolution],
  ] as const;
  return (
    <Paper withBorder p="sm" data-testid="sla-clocks">
      <Title order={3} size="h6" mb="xs">
        {t('desk.queue.sla')}
      </Title>
      {both.every(([, c]) => c === null) ? (
        <Text size="sm" c="dimmed">
          {t('desk.sla.none')}
        </Text>
      ) : (
        <Stack gap="xs">
          {both.map(([kind, clock]) =>
            clock === null ? null : (
              <ClockLine key={kind} kind={kind} clock={clock} fetchedAt={fetchedAt} now={now} />
            ),
          )}
        </Stack>
      )}
    </Paper>
  );
}

function ClockLine({
  kind,
  clock,
  fetchedAt,
  now,
}: {
  kind: 'firstResponse' | 'resolution';
  clock: SlaClockView;
  fetchedAt: number;
  now: number;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { phase, remainingMs } = countdown(clock, fetchedAt, now);
  const time =
    remainingMs === null
      ? ''
      : t(durationMessage(remainingMs).key, durationMessage(remainingMs).vars);
  const text =
    phase === 'met'
      ? t('desk.sla.met')
      : phase === 'paused'
        ? t('desk.sla.paused', { time })
        : phase === 'breached'
          ? t('desk.sla.overdue', { time })
          : t('desk.sla.remaining', { time });
  return (
    <div
      data-testid="sla-clock"
      data-kind={kind}
      data-phase={phase}
      data-remaining={remainingMs ?? ''}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm">
          {t(kind === 'firstResponse' ? 'desk.sla.firstResponse' : 'desk.sla.resolution')}
        </Text>
        <Badge color={phaseColor[phase]} variant={phase === 'breached' ? 'filled' : 'light'}>
          <span data-testid="sla-countdown">{text}</span>
        </Badge>
      </Group>
      {clock.deadline !== null && phase !== 'met' && (
        <Text size="xs" c="dimmed">
          {t('desk.sla.deadline', { when: formatAbsolute(clock.deadline, i18n.locale) ?? '' })}
        </Text>
      )}
    </div>
  );
}
