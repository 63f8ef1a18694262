import { Drawer, useDirection } from '@mantine/core';
import type { Branch, Check } from '../api/types';
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
  // Slides in from the end of the reading direction: the right in English, the left in Persian.
  const { dir } = useDirection();
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position={dir === 'rtl' ? 'left' : 'right'}
      size="lg"
      title={t('tickets.drawerTitle')}
      data-testid="ticket-drawer"
    >
      {ticketId !== null && <TicketView ticketId={ticketId} {...viewProps} />}
    </Drawer>
  );
}
