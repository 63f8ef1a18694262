import { Badge, Box, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import type { DeskEvent } from '../api/types';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { MessageText } from '../knowledge/MessageText';
import { HubText } from './HubText';
import { Sentence } from './Sentence';
import { EVENT_LABELS } from '../tickets/ticketEvents';
import { authorOf, timelineEntries, type LineEntry, type MessageEntry } from './timeline';

/** The values a line is about stand out; who did it and the arrow do not. */
const STRONG = ['old', 'new', 'field', 'level', 'clock'];

interface TimelineProps {
  events: DeskEvent[];
  now: number;
  /** Names of people and groups the page knows (for ids the hub did not name). */
  names: ReadonlyMap<string, string>;
  /** The reply box, at the foot of the timeline where the conversation continues. */
  children?: ReactNode;
  /** The heading; the desk's "Timeline" by default (the portal calls it the conversation). */
  title?: string;
  /** Branch staff see only public replies: no badge saying so on each. */
  requester?: boolean;
}

/**
 * The ticket read top to bottom: its opening, then replies and notes as messages and every
 * change as a line between them, in the order it happened (docs/tickets.md).
 */
export function Timeline({ events, now, names, children, title, requester }: TimelineProps) {
  const { t, locale } = useI18n();
  const entries = useMemo(
    () => timelineEntries(events, { t, names, locale }),
    [events, t, names, locale],
  );
  return (
    <Stack gap="sm" data-testid="timeline">
      <Title order={3} size="h5">
        {title ?? t('desk.timeline.title')}
      </Title>
      {entries.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('tickets.noEvents')}
        </Text>
      )}
      {entries.map((entry) =>
        entry.type === 'message' ? (
          <Message key={entry.event.id} entry={entry} now={now} requester={requester} />
        ) : (
          <Line key={entry.event.id} entry={entry} now={now} />
        ),
      )}
      {children}
    </Stack>
  );
}

function Message({
  entry,
  now,
  requester,
}: {
  entry: MessageEntry;
  now: number;
  requester?: boolean;
}) {
  const { t } = useI18n();
  const { event, role, text } = entry;
  const internal = event.visibility === 'internal' || role === 'note';
  const badge =
    role === 'note' ? (
      <Badge color="yellow" variant="filled" size="sm">
        {t('desk.timeline.noted')}
      </Badge>
    ) : role === 'reply' ? (
      requester ? null : (
        <Badge color="blue" variant="light" size="sm">
          {t('desk.ticket.public')}
        </Badge>
      )
    ) : (
      <Text span size="sm" c="dimmed">
        {role === 'opened' || event.kind === 'opened'
          ? t('desk.timeline.opened')
          : t(EVENT_LABELS[event.kind])}
      </Text>
    );
  return (
    <Paper
      withBorder
      p="sm"
      bg={
        internal
          ? 'var(--mantine-color-yellow-light)'
          : role === 'hub'
            ? 'var(--mantine-color-default-hover)'
            : undefined
      }
      style={
        internal ? { borderInlineStart: '4px solid var(--mantine-color-yellow-6)' } : undefined
      }
      data-testid="message"
      data-visibility={event.visibility}
      data-kind={event.kind}
    >
      <Group gap="xs" mb={4} wrap="wrap">
        <Text size="sm" fw={600}>
          <bdi>{authorOf(event, t)}</bdi>
        </Text>
        {badge}
        <Text size="xs" c="dimmed">
          <RelativeTime at={event.at} now={now} />
        </Text>
      </Group>
      {text !== null ? (
        <HubText text={text} />
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="message-body" dir="auto">
          {event.body !== null && <MessageText text={event.body} />}
        </Text>
      )}
    </Paper>
  );
}

function Line({ entry, now }: { entry: LineEntry; now: number }) {
  const { t, dir } = useI18n();
  const { event } = entry;
  return (
    <Group
      gap="xs"
      wrap="nowrap"
      align="flex-start"
      px="sm"
      data-testid="history-event"
      data-kind={event.kind}
      data-field={event.field ?? undefined}
    >
      <Box
        mt={7}
        w={8}
        h={8}
        style={{ borderRadius: '50%', flex: 'none', background: 'var(--mantine-color-gray-5)' }}
      />
      <div style={{ minWidth: 0 }}>
        <Text size="sm" data-testid="history-change">
          <Sentence
            template={t(entry.key)}
            vars={{ ...entry.vars, arrow: dir === 'rtl' ? '←' : '→' }}
            strong={STRONG}
          />{' '}
          <Text span size="xs" c="dimmed">
            · <RelativeTime at={event.at} now={now} />
          </Text>
        </Text>
        {entry.text !== null && (
          <Box c="dimmed" mt={2}>
            <HubText text={entry.text} testId="history-text" />
          </Box>
        )}
        {entry.note !== null && (
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }} data-testid="history-note">
            <Sentence template={t('desk.timeline.reason')} vars={{ reason: entry.note }} />
          </Text>
        )}
      </div>
    </Group>
  );
}
