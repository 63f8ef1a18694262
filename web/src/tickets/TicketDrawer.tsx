import { Anchor, Drawer } from '@mantine/core';
import type { Branch, Check } from '../api/types';
import { linkTo } from '../app/router';
import { useI18n } from '../i18n';
import { TicketView } from './TicketView';

interface TicketDrawerProps {
  ticketId: string | null;
  opened: boolean;
  onClose: () => void;
  now: number;
  branches: Branch[];
  checks: Check[];
}

/** The ticket opened from the queue, beside the overview rather than instead of it. */
export function TicketDrawer({ ticketId, opened, onClose, ...viewProps }: TicketDrawerProps) {
  const { t } = useI18n();
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      // Mantine mirrors this under dir=rtl, so it is the end side: the left in Persian.
      position="right"
      size="lg"
      title={t('tickets.drawerTitle')}
      data-testid="ticket-drawer"
    >
      {ticketId !== null && (
        <>
          <Anchor size="sm" {...linkTo(`/tickets/${ticketId}`)} data-testid="ticket-open-page">
            {t('desk.ticket.openPage')}
          </Anchor>
          <TicketView ticketId={ticketId} {...viewProps} />
        </>
      )}
    </Drawer>
  );
}
