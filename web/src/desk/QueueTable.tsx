import { Anchor, Checkbox, Table, Text } from '@mantine/core';
import { useRef, type KeyboardEvent } from 'react';
import type { DeskTicket } from '../api/types';
import { linkTo, navigate } from '../app/router';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { PriorityBadge, TicketStateBadge } from '../tickets/TicketBadges';
import { toggled } from './bulkSummary';
import { slaBadge } from './countdown';
import { SlaBadge } from './SlaBadge';
import type { RowClocks } from './useRowSla';

interface QueueTableProps {
  items: DeskTicket[];
  now: number;
  clocks: ReadonlyMap<string, RowClocks>;
  names: ReadonlyMap<string, string>;
  selected: string[];
  onSelect: (ids: string[]) => void;
}

/**
 * One page of the queue. Keyboard: ↑/↓ (or k/j) move between rows, x or Space selects,
 * Enter opens the ticket.
 */
export function QueueTable({ items, now, clocks, names, selected, onSelect }: QueueTableProps) {
  const { t } = useI18n();
  const body = useRef<HTMLTableSectionElement>(null);
  const allSelected = items.length > 0 && items.every((i) => selected.includes(i.id));

  const focusRow = (index: number) => {
    const rows = body.current?.querySelectorAll<HTMLElement>('[data-testid=queue-row]');
    rows?.[Math.max(0, Math.min(index, rows.length - 1))]?.focus();
  };
  const onKey = (event: KeyboardEvent<HTMLElement>, index: number, ticket: DeskTicket) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'ArrowDown' || event.key === 'j') focusRow(index + 1);
    else if (event.key === 'ArrowUp' || event.key === 'k') focusRow(index - 1);
    else if (event.key === 'x' || event.key === ' ') onSelect(toggled(selected, ticket.id));
    else if (event.key === 'Enter') navigate(`/tickets/${ticket.id}`);
    else return;
    event.preventDefault();
  };

  return (
    <Table.ScrollContainer minWidth={760}>
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
            <Table.Th>{t('tickets.state')}</Table.Th>
            <Table.Th>{t('tickets.priority')}</Table.Th>
            <Table.Th>{t('desk.queue.sla')}</Table.Th>
            <Table.Th>{t('desk.queue.assignee')}</Table.Th>
            <Table.Th>{t('desk.queue.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody ref={body}>
          {items.map((ticket, index) => {
            const rowClocks = clocks.get(ticket.id);
            const badge = rowClocks ? slaBadge(rowClocks.clocks, rowClocks.fetchedAt, now) : null;
            const isSelected = selected.includes(ticket.id);
            return (
              <Table.Tr
                key={ticket.id}
                data-testid="queue-row"
                data-ticket-id={ticket.id}
                data-number={ticket.number}
                data-state={ticket.state}
                data-assignee={ticket.assigneeId ?? ''}
                aria-selected={isSelected}
                tabIndex={0}
                bg={isSelected ? 'var(--mantine-primary-color-light)' : undefined}
                onKeyDown={(e) => onKey(e, index, ticket)}
              >
                <Table.Td>
                  <Checkbox
                    aria-label={t('desk.queue.select', { number: ticket.number })}
                    checked={isSelected}
                    onChange={() => onSelect(toggled(selected, ticket.id))}
                    data-testid="row-select"
                  />
                </Table.Td>
                <Table.Td>
                  <Text span size="sm" c="dimmed">
                    {ticket.number}
                  </Text>
                </Table.Td>
                <Table.Td fw={500}>
                  <Anchor inherit {...linkTo(`/tickets/${ticket.id}`)} data-testid="row-open">
                    {ticket.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <TicketStateBadge state={ticket.state} />
                </Table.Td>
                <Table.Td>
                  <PriorityBadge priority={ticket.priority} />
                </Table.Td>
                <Table.Td>
                  <SlaBadge status={badge} />
                </Table.Td>
                <Table.Td>
                  {ticket.assigneeId === null
                    ? t('common.none')
                    : (names.get(ticket.assigneeId) ?? ticket.assigneeId.slice(0, 8))}
                </Table.Td>
                <Table.Td>
                  <RelativeTime at={ticket.updatedAt} now={now} size="sm" c="dimmed" />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
