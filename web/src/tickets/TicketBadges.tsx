import { Badge } from '@mantine/core';
import type { TicketPriority, TicketState } from '../api/types';
import { useI18n } from '../i18n';
import { priorityColor, ticketStateColor } from '../theme/stateColors';

export function TicketStateBadge({ state }: { state: TicketState }) {
  const { t } = useI18n();
  return (
    <Badge color={ticketStateColor[state]} data-testid="ticket-state">
      {t(`ticketState.${state}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useI18n();
  return (
    <Badge color={priorityColor[priority]} variant="outline">
      {t(`priority.${priority}`)}
    </Badge>
  );
}
