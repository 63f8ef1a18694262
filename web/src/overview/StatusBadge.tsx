import { Badge } from '@mantine/core';
import type { Status } from '@branchwatch/api';
import { useI18n } from '../i18n';
import { statusColor } from '../theme/stateColors';

/** A status of the status model, in words and its colour; down is the one filled badge. */
export function StatusBadge({ status }: { status: Status }) {
  const { t } = useI18n();
  return (
    <Badge
      color={statusColor[status]}
      variant={status === 'down' ? 'filled' : 'light'}
      data-testid="status-badge"
      data-status={status}
      style={{ flexShrink: 0 }}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}
