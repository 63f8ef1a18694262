import { Anchor, Card, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { useRef, type KeyboardEvent, type Ref } from 'react';
import type { QueueTicket } from '../api/types';
import { linkTo, navigate } from '../app/router';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { PriorityBadge, TicketStateBadge } from '../tickets/TicketBadges';
import { toggled } from './bulkSummary';
import { dueWords, type ClockPhase } from './countdown';
import { formatTicketNumber } from '../format/numbers';

interface QueueTableProps {
  items: QueueTicket[];
  now: number;
  /** People's, groups' and branches' names by id. */
  names: ReadonlyMap<string, string>;
  selected: string[];
  onSelect: (ids: string[]) => void;
  /** A phone's width: one card per ticket instead of a table row. */
  cards?: boolean;
}

const DUE_COLOR: Record<ClockPhase, string | undefined> = {
  breached: 'red',
  dueSoon: 'orange',
  running: undefined,
  paused: 'dimmed',
  met: 'dimmed',
};

/** When the ticket's first-due SLA clock runs out, in words ("due in 2 h 10 min"). */
function Due({ ticket, now }: { ticket: QueueTicket; now: number }) {
  const { t } = useI18n();
  if (ticket.due === null) {
    return (
      <Text span size="sm" c="dimmed">
        {t('common.none')}
      </Text>
    );
  }
  const words = dueWords(ticket.due, now, now);
  const time = words.time === null ? '' : t(words.time.key, words.time.vars);
  return (
    <Text
      span
      size="sm"
      c={DUE_COLOR[words.phase]}
      fw={words.phase === 'breached' ? 600 : undefined}
      title={t(
        ticket.due.clock === 'firstResponse' ? 'desk.due.firstResponse' : 'desk.due.resolution',
      )}
      style={{ whiteSpace: 'nowrap' }}
      data-testid="row-due"
      data-phase={words.phase}
    >
      {t(words.key, { time })}
    </Text>
  );
}

/** Who asked: the requester's name, "Alert" for what the hub opened, else nothing. */
function Requester({ ticket }: { ticket: QueueTicket }) {
  const { t } = useI18n();
  const name =
    ticket.requesterName ??
    (ticket.source === 'alert' ? t('desk.queue.byAlert') : t('common.none'));
  return (
    <Text span size="sm" title={ticket.requesterContact ?? undefined} data-testid="row-requester">
      <bdi>{name}</bdi>
    </Text>
  );
}

/**
 * One page of the queue. Keyboard: ↑/↓ (or k/j) move between rows, x or Space selects,
 * Enter opens the ticket.
 */
export function QueueTable({ items, now, names, selected, onSelect, cards }: QueueTableProps) {
  const { t, locale } = useI18n();
  const body = useRef<HTMLElement>(null);
  const allSelected = items.length > 0 && items.every((i) => selected.includes(i.id));

  const focusRow = (index: number) => {
    const rows = body.current?.querySelectorAll<HTMLElement>('[data-testid=queue-row]');
    rows?.[Math.max(0, Math.min(index, rows.length - 1))]?.focus();
  };
  const onKey = (event: KeyboardEvent<HTMLElement>, index: number, ticket: QueueTicket) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'ArrowDown' || event.key === 'j') focusRow(index + 1);
    else if (event.key === 'ArrowUp' || event.key === 'k') focusRow(index - 1);
    else if (event.key === 'x' || event.key === ' ') onSelect(toggled(selected, ticket.id));
    else if (event.key === 'Enter') navigate(`/tickets/${ticket.id}`);
    else return;
    event.preventDefault();
  };
  const none = t('common.none');
  const branchOf = (ticket: QueueTicket) =>
    ticket.branchId === null ? none : (names.get(ticket.branchId) ?? none);
  const assigneeOf = (ticket: QueueTicket) =>
    ticket.assigneeId === null ? none : (names.get(ticket.assigneeId) ?? none);
  const rowProps = (ticket: QueueTicket, index: number) => ({
    'data-testid': 'queue-row',
    'data-ticket-id': ticket.id,
    'data-number': ticket.number,
    'data-state': ticket.state,
    'data-assignee': ticket.assigneeId ?? '',
    'aria-selected': selected.includes(ticket.id),
    tabIndex: 0,
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => onKey(e, index, ticket),
  });
  const selectBox = (ticket: QueueTicket) => (
    <Checkbox
      aria-label={t('desk.queue.select', { number: formatTicketNumber(ticket.number, locale) })}
      checked={selected.includes(ticket.id)}
      onChange={() => onSelect(toggled(selected, ticket.id))}
      data-testid="row-select"
    />
  );
  const subject = (ticket: QueueTicket) => (
    <Anchor inherit {...linkTo(`/tickets/${ticket.id}`)} data-testid="row-open">
      {ticket.subject}
    </Anchor>
  );

  if (cards) {
    return (
      <Stack gap={0} ref={body as Ref<HTMLDivElement>} data-testid="queue-cards">
        {items.map((ticket, index) => (
          <Card
            key={ticket.id}
            radius={0}
            padding="sm"
            style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
            bg={selected.includes(ticket.id) ? 'var(--mantine-primary-color-light)' : undefined}
            {...rowProps(ticket, index)}
          >
            <Group gap="sm" wrap="nowrap" align="flex-start">
              {selectBox(ticket)}
              <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                <Group gap={6} wrap="nowrap" align="baseline">
                  <Text span size="sm" c="dimmed">
                    {formatTicketNumber(ticket.number, locale)}
                  </Text>
                  <Text span fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {subject(ticket)}
                  </Text>
                </Group>
                <Group gap={6}>
                  <TicketStateBadge state={ticket.state} />
                  <PriorityBadge priority={ticket.priority} />
                  <Due ticket={ticket} now={now} />
                </Group>
                <Text size="sm" c="dimmed">
                  <bdi>{branchOf(ticket)}</bdi> · <Requester ticket={ticket} /> ·{' '}
                  <bdi>{assigneeOf(ticket)}</bdi>
                </Text>
              </Stack>
            </Group>
          </Card>
        ))}
      </Stack>
    );
  }

  return (
    <Table.ScrollContainer minWidth={900}>
      <Table highlightOnHover data-testid="queue-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36}>
              <Checkbox
                aria-label={t('desk.queue.selectAll')}
                checked={allSelected}
                indeterminate={!allSelected && items.some((i) => selected.includes(i.id))}
                onChange={() =>
                  onSelect(
                    allSelected
                      ? selected.filter((id) => !items.some((i) => i.id === id))
                      : [...new Set([...selected, ...items.map((i) => i.id)])],
                  )
                }
                data-testid="select-all"
              />
            </Table.Th>
            <Table.Th>{t('tickets.number')}</Table.Th>
            <Table.Th>{t('tickets.subject')}</Table.Th>
            <Table.Th>{t('desk.queue.branch')}</Table.Th>
            <Table.Th>{t('desk.queue.requester')}</Table.Th>
            <Table.Th>{t('tickets.state')}</Table.Th>
            <Table.Th>{t('tickets.priority')}</Table.Th>
            <Table.Th>{t('desk.queue.due')}</Table.Th>
            <Table.Th>{t('desk.queue.assignee')}</Table.Th>
            <Table.Th>{t('desk.queue.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody ref={body as Ref<HTMLTableSectionElement>}>
          {items.map((ticket, index) => (
            <Table.Tr
              key={ticket.id}
              bg={selected.includes(ticket.id) ? 'var(--mantine-primary-color-light)' : undefined}
              {...rowProps(ticket, index)}
            >
              <Table.Td>{selectBox(ticket)}</Table.Td>
              <Table.Td>
                <Text span size="sm" c="dimmed">
                  {formatTicketNumber(ticket.number, locale)}
                </Text>
              </Table.Td>
              <Table.Td fw={500}>{subject(ticket)}</Table.Td>
              <Table.Td>
                <Text span size="sm">
                  <bdi>{branchOf(ticket)}</bdi>
                </Text>
              </Table.Td>
              <Table.Td>
                <Requester ticket={ticket} />
              </Table.Td>
              <Table.Td>
                <TicketStateBadge state={ticket.state} />
              </Table.Td>
              <Table.Td>
                <PriorityBadge priority={ticket.priority} />
              </Table.Td>
              <Table.Td>
                <Due ticket={ticket} now={now} />
              </Table.Td>
              <Table.Td>
                <Text span size="sm">
                  <bdi>{assigneeOf(ticket)}</bdi>
                </Text>
              </Table.Td>
              <Table.Td>
                <RelativeTime at={ticket.updatedAt} now={now} size="sm" c="dimmed" />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
