import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import { linkTo } from '../app/router';
import { useLoad } from '../common/useLoad';
import { useNow } from '../common/useNow';
import { formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';
import type { Highlights } from './knowledgeApi';
import { useKnowledgeApi } from './useKnowledge';

type Highlight = Highlights['popular'][number];

/**
 * On the portal's home: the articles that solved most problems lately and the newest others,
 * of the person's tenant, in their language where written (the hub's highlights). Nothing
 * when there is no published article for them.
 */
export function KnowledgeHighlights() {
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t, language } = i18n;
  const load = useCallback(() => kb.highlights(language), [kb, language]);
  const { data } = useLoad(load);
  if (!data || data.popular.length + data.recent.length === 0) return null;
  return (
    <Card withBorder data-testid="kb-widget">
      <Group justify="space-between" gap="xs" mb="xs" wrap="wrap">
        <Title order={2} size="h5">
          {t('kb.widget.title')}
        </Title>
        <Anchor size="sm" {...linkTo('/knowledge')}>
          {t('kb.widget.all')}
        </Anchor>
      </Group>
      <Stack gap="sm">
        {data.popular.length > 0 && (
          <List heading={t('kb.widget.popular')} items={data.popular} popular />
        )}
        {data.recent.length > 0 && <List heading={t('kb.widget.recent')} items={data.recent} />}
      </Stack>
    </Card>
  );
}

function List({
  heading,
  items,
  popular,
}: {
  heading: string;
  items: Highlight[];
  popular?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const now = useNow(60_000);
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} mb={4}>
        {heading}
      </Text>
      <Stack gap={6}>
        {items.map((item) => (
          <div key={item.id} data-testid="kb-widget-article">
            <Anchor
              {...linkTo(`/knowledge/${item.id}`)}
              fw={500}
              size="sm"
              lang={item.language}
              dir="auto"
              style={{ overflowWrap: 'anywhere' }}
            >
              {item.title}
            </Anchor>
            <Text size="xs" c="dimmed">
              {popular
                ? t('kb.widget.solved', { n: item.solved })
                : t('kb.updated', { when: formatRelative(item.updatedAt, now, i18n) })}
            </Text>
          </div>
        ))}
      </Stack>
    </div>
  );
}
