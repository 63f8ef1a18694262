import { Badge, Group, Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import type { DeskEvent } from '../api/types';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { EVENT_LABELS, eventsInOrder } from '../tickets/ticketEvents';

/** Events that are messages: the opening text, replies and notes. The rest is history. */
const MESSAGE_KINDS = new Set(['opened', 'reply', 'note']);

export function splitEvents(events: DeskEvent[]): { messages: DeskEvent[]; history: DeskEvent[] } {
  const ordered = eventsInOrder(events as never) as unknown as DeskEvent[];
  return {
    messages: ordered.filter((e) => MESSAGE_KINDS.has(e.kind) && e.body !== null),
    history: ordered.filter((e) => !MESSAGE_KINDS.has(e.kind) || e.body === null),
  };
}

/** Public replies on the plain surface; internal notes tinted yellow with a marker. */
export function Conversation({ messages, now }: { messages: DeskEvent[]; now: number }) {
  const { t } = useI18n();
  return (
    <Stack gap="sm" data-testid="conversation">
      <Title order={3} size="h5">
        {t('desk.ticket.conversation')}
      </Title>
      {messages.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('desk.ticket.noMessages')}
        </Text>
      )}
      {messages.map((m) => {
        const internal = m.visibility === 'internal';
        return (
          <Paper
            key={m.id}
            withBorder
            p="sm"
            bg={internal ? 'var(--mantine-color-yellow-light)' : undefined}
            style={
              internal
                ? { borderInlineStart: '4px solid var(--mantine-color-yellow-6)' }
                : undefined
            }
            data-testid="message"
            data-visibility={m.visibility}
            data-kind={m.kind}
          >
            <Group gap="xs" mb={4}>
              <Text size="sm" fw={600}>
                {m.author ?? t('desk.ticket.system')}
              </Text>
              {internal ? (
                <Badge color="yellow" variant="filled" size="sm">
                  {t('desk.ticket.internal')}
                </Badge>
              ) : (
                m.kind !== 'opened' && (
                  <Badge color="blue" variant="light" size="sm">
                    {t('desk.ticket.public')}
                  </Badge>
                )
              )}
              <Text size="xs" c="dimmed">
                <RelativeTime at={m.at} now={now} />
              </Text>
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="message-body">
              {m.body}
            </Text>
          </Paper>
        );
      })}
    </Stack>
  );
}

/** Everything else that happened, oldest first: changes with old → new, SLA warnings, … */
export function History({ events, now }: { events: DeskEvent[]; now: number }) {
  const { t } = useI18n();
  return (
    <Stack gap="sm" data-testid="history">
      <Title order={3} size="h5">
        {t('desk.ticket.history')}
      </Title>
      {events.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('tickets.noEvents')}
        </Text>
      ) : (
        <Timeline bulletSize={12} lineWidth={2} active={events.length - 1}>
          {events.map((e) => (
            <Timeline.Item
              key={e.id}
              title={t(EVENT_LABELS[e.kind])}
              data-testid="history-event"
              data-kind={e.kind}
            >
              <Text size="xs" c="dimmed">
                <RelativeTime at={e.at} now={now} />
                {e.author !== null && <> · {t('tickets.by', { author: e.author })}</>}
              </Text>
              {e.field !== undefined && e.field !== null && (
                <Text size="sm" data-testid="history-change">
                  {t('desk.change', {
                    field: e.field,
                    old: e.old ?? t('common.none'),
                    new: e.new ?? t('common.none'),
                  })}
                </Text>
              )}
              {e.body !== null && (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {e.body}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}
