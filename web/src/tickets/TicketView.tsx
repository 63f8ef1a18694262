import {
  Alert,
  Badge,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { useCallback } from 'react';
import { useApi } from '../api/ApiContext';
import type { Branch, Check, TicketDetail } from '../api/types';
import { describeError } from '../common/describeError';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { useLive } from '../live/liveSource';
import { OVERVIEW_REFRESH_MS } from '../overview/useOverview';
import { ticketEventColor } from '../theme/stateColors';
import { PriorityBadge, TicketStateBadge } from './TicketBadges';
import { EVENT_LABELS, eventsInOrder } from './ticketEvents';
import { buildTicketRows } from './ticketRows';
import { Field } from '../common/Field';
import { formatTicketNumber } from '../format/numbers';

interface TicketViewProps {
  ticketId: string;
  now: number;
  /** From the overview, to name the ticket's branch and check without asking again. */
  branches: Branch[];
  checks: Check[];
}

/** One ticket and its history, kept as fresh as the overview behind it. */
export function TicketView({ ticketId, now, branches, checks }: TicketViewProps) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const load = useCallback(() => api.ticket(ticketId), [api, ticketId]);
  const { data, error } = useLive(
    load,
    ['ticket.changed'],
    OVERVIEW_REFRESH_MS,
    undefined,
    (event) => event.ticketId === ticketId,
  );

  if (data === null) {
    return error === null ? (
      <Loader size="sm" />
    ) : (
      <Alert color="red" title={t('tickets.loadFailed')}>
        {describeError(error, i18n)}
      </Alert>
    );
  }
  return (
    <Stack gap="lg" data-testid="ticket-view">
      {error !== null && (
        <Alert color="yellow" title={t('overview.refreshFailed')}>
          {describeError(error, i18n)}
        </Alert>
      )}
      <TicketSummary detail={data} now={now} branches={branches} checks={checks} />
      <TicketHistory detail={data} now={now} />
    </Stack>
  );
}

function TicketSummary({
  detail,
  now,
  branches,
  checks,
}: {
  detail: TicketDetail;
  now: number;
  branches: Branch[];
  checks: Check[];
}) {
  const { t, locale } = useI18n();
  const { ticket } = detail;
  const [row] = buildTicketRows([ticket], branches, checks);

  return (
    <Stack gap="sm">
      <div>
        <Text size="sm" c="dimmed">
          {t('tickets.heading', { number: formatTicketNumber(ticket.number, locale) })}
        </Text>
        <Title order={2} size="h4">
          {ticket.subject}
        </Title>
      </div>
      <Group gap="xs">
        <TicketStateBadge state={ticket.state} />
        <PriorityBadge priority={ticket.priority} />
        <Badge color="gray" variant="outline">
          {t(`source.${ticket.source}`)}
        </Badge>
      </Group>
      <SimpleGrid cols={2} spacing="xs" verticalSpacing={4}>
        <Field label={t('tickets.branch')}>{row?.branchName ?? t('common.none')}</Field>
        <Field label={t('tickets.check')}>{row?.checkLabel ?? t('common.none')}</Field>
        <Field label={t('tickets.opened')}>
          <RelativeTime at={ticket.openedAt} now={now} />
        </Field>
      </SimpleGrid>
    </Stack>
  );
}

function TicketHistory({ detail, now }: { detail: TicketDetail; now: number }) {
  const { t } = useI18n();
  const events = eventsInOrder(detail.events);

  return (
    <Stack gap="sm">
      <Title order={3} size="h6">
        {t('tickets.events')}
      </Title>
      {events.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('tickets.noEvents')}
        </Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} active={events.length - 1}>
          {events.map((event) => (
            <Timeline.Item
              key={event.id}
              color={ticketEventColor[event.kind]}
              title={t(EVENT_LABELS[event.kind])}
              data-testid="ticket-event"
              data-kind={event.kind}
            >
              <Text size="xs" c="dimmed">
                <RelativeTime at={event.at} now={now} />
                {event.author !== null && <> · {t('tickets.by', { author: event.author })}</>}
              </Text>
              {event.body !== null && (
                <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
                  {event.body}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}
