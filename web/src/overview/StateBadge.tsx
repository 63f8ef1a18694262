import { Badge } from '@mantine/core';
import type { CheckState } from '../api/types';
import { useI18n } from '../i18n';
import { checkStateColor } from '../theme/stateColors';

export function CheckStateBadge({ state }: { state: CheckState }) {
  const { t } = useI18n();
  return (
    <Badge
      color={checkStateColor[state]}
      variant={state === 'failing' ? 'filled' : 'light'}
      data-testid="check-state"
    >
      {t(`state.${state}`)}
    </Badge>
  );
}
