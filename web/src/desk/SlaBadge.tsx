import { Badge } from '@mantine/core';
import { useI18n } from '../i18n';

/** Breached (red) or due soon (orange); nothing for a ticket on time. */
export function SlaBadge({ status }: { status: 'breached' | 'dueSoon' | null }) {
  const { t } = useI18n();
  if (status === null) return null;
  return (
    <Badge
      color={status === 'breached' ? 'red' : 'orange'}
      variant={status === 'breached' ? 'filled' : 'light'}
      data-testid="sla-badge"
      data-sla={status}
    >
      {t(status === 'breached' ? 'desk.sla.breached' : 'desk.sla.dueSoon')}
    </Badge>
  );
}
