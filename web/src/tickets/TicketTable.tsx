import { Box, Group, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { KeyboardEvent } from 'react';
import { PHONE } from '../common/media';
import { RelativeTime } from '../common/RelativeTime';
import { useI18n } from '../i18n';
import { TicketStateBadge } from './TicketBadges';
import type { TicketRow } from './ticketRows';
import { formatTicketNumber } from '../format/numbers';
import classes from './TicketTable.module.css';

interface TicketTableProps {
  rows: TicketRow[];
  now: number;
  onOpen: (ticketId: string) => void;
}

/** The open-ticket queue; a row opens the ticket (mouse or Enter). */
export function TicketTable({ rows, now, onOpen }: TicketTableProps) {
  const { t, locale } = useI18n();
  // Read before the first paint: a phone never draws the table first.
  const phone = useMediaQuery(PHONE, undefined, { getInitialValueInEffect: false });
  const opens = (ticketId: string) => ({
    'data-testid': 'ticket-row',
    'data-ticket-id': ticketId,
    tabIndex: 0,
    style: { cursor: 'pointer' },
    onClick: () => onOpen(ticketId),
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onOpen(ticketId);
      }
    },
  });

  if (phone) {
    // Six columns do not fit a phone (in Persian the state ran off the card): each ticket a
    // row of its own lines, its number, subject and state on the first.
    return (
      <Box role="list">
        {rows.map(({ ticket, branchName, checkLabel }) => (
          <Stack
            key={ticket.id}
            gap={4}
            role="listitem"
            className={classes.item}
            {...opens(ticket.id)}
          >
            <Group gap="xs" wrap="nowrap" justify="space-between" align="flex-start">
              <Text size="sm" fw={500} miw={0}>
                <Text span size="sm" c="dimmed" me={6}>
                  {formatTicketNumber(ticket.number, locale)}
                </Text>
                {/* As it was typed, in its own direction beside the number. */}
                <span dir="auto">{ticket.subject}</span>
              </Text>
              <TicketStateBadge state={ticket.state} />
            </Group>
            <Group gap="xs" justify="space-between" align="baseline">
              <Text size="xs" c="dimmed" miw={0} style={{ overflowWrap: 'anywhere' }}>
                {branchName ?? t('common.none')}
                {checkLabel !== null && (
                  <>
                    {' · '}
                    <Text span inherit ff="monospace" dir="ltr">
                      {checkLabel}
                    </Text>
                  </>
                )}
              </Text>
              <RelativeTime at={ticket.openedAt} now={now} size="xs" c="dimmed" />
            </Group>
          </Stack>
        ))}
      </Box>
    );
  }
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
            <Table.Tr key={ticket.id} {...opens(ticket.id)}>
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
