import { Table, Text } from '@mantine/core';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { TicketStateBadge } from './TicketBadges';
import type { TicketRow } from './ticketRows';
import { formatTicketNumber } from '../format/numbers';

interface TicketTableProps {
  rows: TicketRow[];
  now: number;
  onOpen: (ticketId: string) => void;
}

/** The open-ticket queue; a row opens the ticket (mouse or Enter). */
export function TicketTable({ rows, now, onOpen }: TicketTableProps) {
  const { t, locale } = useI18n();
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('tickets.number')}</Table.Th>
            <Table.Th>{t('tickets.subject')}</Table.Th>
            <Table.Th>{t('tickets.branch')}</Table.Th>
            <Table.Th>{t('tickets.check')}</Table.Th>
            <Table.Th>{t('tickets.opened')}</Table.Th>
            <Table.Th>{t('tickets.state')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ ticket, branchName, checkLabel }) => (
            <Table.Tr
              key={ticket.id}
              data-testid="ticket-row"
              data-ticket-id={ticket.id}
              tabIndex={0}
              style={{ cursor: 'pointer' }}
              onClick={() => onOpen(ticket.id)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  event.preventDefault();
                  onOpen(ticket.id);
                }
              }}
            >
              <Table.Td>
                <Text span size="sm" c="dimmed">
                  {formatTicketNumber(ticket.number, locale)}
                </Text>
              </Table.Td>
              <Table.Td fw={500}>{ticket.subject}</Table.Td>
              <Table.Td>{branchName ?? t('common.none')}</Table.Td>
              <Table.Td>
                <Text span size="sm" ff="monospace" dir="ltr">
                  {checkLabel ?? t('common.none')}
                </Text>
              </Table.Td>
              <Table.Td>
                <RelativeTime at={ticket.openedAt} now={now} size="sm" c="dimmed" />
              </Table.Td>
              <Table.Td>
                <TicketStateBadge state={ticket.state} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
