import { Badge } from '@mantine/core';
import type { ArticleState } from '@branchwatch/api';
import { useI18n } from '../i18n';

const colors: Record<ArticleState, string> = {
  draft: 'yellow',
  internal: 'grape',
  published: 'green',
  archived: 'gray',
};

/** An article's state, for editors and staff; nothing for a published one (what readers see). */
export function StateBadge({ state }: { state: ArticleState }) {
  const { t } = useI18n();
  if (state === 'published') return null;
  return (
    <Badge variant="light" size="sm" color={colors[state]} data-testid="kb-state">
      {t(`kb.state.${state}`)}
    </Badge>
  );
}
