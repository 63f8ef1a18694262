import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Chip,
  EmptyState,
  Group,
  Loader,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { href, linkTo, navigate, useLocation } from '../app/router';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useNow } from '../common/useNow';
import { formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';
import { translationFor, type ArticleSummary, type SearchHit } from './knowledgeApi';
import { Marked } from './Marked';
import { StateBadge } from './StateBadge';
import { useCanEditKnowledge, useKnowledgeApi, useSettled } from './useKnowledge';

/**
 * The category chips' values: "" is all, `none` the articles without a category (the address
 * says `uncategorised=true`), and `in:<name>` a category, so no category's name can be taken
 * for either of the others.
 */
const ALL = '';
const NONE = 'none';
const chipOf = (category: string) => (category === '' ? NONE : `in:${category}`);
/** The page's address for these words and this chip (docs/knowledge-base.md "Reading"). */
const addressOf = (q: string, chip: string) =>
  href('/knowledge', {
    q,
    ...(chip === NONE ? { uncategorised: 'true' } : {}),
    ...(chip.startsWith('in:') ? { category: chip.slice(3) } : {}),
  });

/**
 * The knowledge base as every person reads it: search in their language with the matched words
 * marked, the categories, and the articles they may read (requesters the public ones of their
 * tenant; staff the internal ones too; editors also drafts). Words and category live in the
 * address, so Back and a shared link return to the same list.
 */
export function KnowledgePage() {
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t, language } = i18n;
  const { query } = useLocation();
  // `category=<name>` or `uncategorised=true` in the address; neither: every category.
  const uncategorised = query.get('uncategorised') === 'true';
  const category = query.get('category') ?? '';
  const chosen = uncategorised ? NONE : category === '' ? ALL : chipOf(category);

  const [words, setWords] = useState(query.get('q') ?? '');
  const settled = useSettled(words.trim(), 300);
  const canEdit = useCanEditKnowledge();
  const now = useNow(60_000);

  // The words go into the address once typing stops (replace: one Back leaves the page).
  useEffect(() => {
    if (settled !== (query.get('q') ?? '')) navigate(addressOf(settled, chosen), { replace: true });
  }, [settled, chosen, query]);

  const loadAll = useCallback(() => kb.list(), [kb]);
  const all = useLoad(loadAll);
  const loadHits = useCallback(
    async () => (settled === '' ? null : kb.search(settled, language)),
    [kb, settled, language],
  );
  const hits = useLoad(loadHits);

  const categories = useMemo(
    () => [...new Set((all.data ?? []).map((a) => a.category))].sort((a, b) => a.localeCompare(b)),
    [all.data],
  );
  const inCategory = <T extends { category: string }>(items: T[]) =>
    chosen === ALL ? items : items.filter((a) => chipOf(a.category) === chosen);
  const searching = settled !== '';
  const error = all.error ?? hits.error;

  return (
    <Stack gap="md" maw={900} data-testid="kb-page">
      <Group justify="space-between" align="flex-end" gap="xs">
        <div>
          <Title order={2} size="h3">
            {t('kb.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('kb.intro')}
          </Text>
        </div>
        {canEdit && (
          <Group gap="xs">
            <Button variant="default" size="sm" component="a" {...linkTo('/knowledge/report')}>
              {t('kb.report')}
            </Button>
            <Button size="sm" component="a" {...linkTo('/knowledge/new')} data-testid="kb-new">
              {t('kb.new')}
            </Button>
          </Group>
        )}
      </Group>
      <TextInput
        type="search"
        size="md"
        label={t('kb.search')}
        placeholder={t('kb.searchHint')}
        value={words}
        onChange={(e) => setWords(e.currentTarget.value)}
        data-testid="kb-search"
        dir="auto"
      />
      {categories.length > 1 && (
        <Chip.Group
          value={chosen}
          onChange={(c) => navigate(addressOf(settled, c as string), { replace: true })}
        >
          <Group gap={6} aria-label={t('kb.categories')} role="group">
            <Chip value={ALL} size="sm" data-testid="kb-category">
              {t('kb.allCategories')}
            </Chip>
            {categories.map((c) => (
              <Chip key={c} value={chipOf(c)} size="sm" data-testid="kb-category">
                {c === '' ? t('kb.general') : c}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      )}
      {error !== null && error !== undefined && (
        <Alert color="red" title={t('kb.loadFailed')}>
          {describeError(error, i18n)}
        </Alert>
      )}
      {searching ? (
        hits.data === null ? (
          <Loader size="sm" />
        ) : (
          <Results hits={inCategory(hits.data)} words={settled} />
        )
      ) : all.data === null ? (
        error ? null : (
          <Loader size="sm" />
        )
      ) : inCategory(all.data).length === 0 ? (
        <Card withBorder>
          <EmptyState title={t('kb.empty')} description={t('kb.emptyHelp')} />
        </Card>
      ) : (
        <Stack gap="xs">
          {inCategory(all.data).map((a) => (
            <ArticleCard key={a.id} article={a} now={now} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function Results({ hits, words }: { hits: SearchHit[]; words: string }) {
  const { t } = useI18n();
  if (hits.length === 0)
    return (
      <Card withBorder data-testid="kb-no-results">
        <EmptyState title={t('kb.noResults')} description={t('kb.noResultsHelp')} />
      </Card>
    );
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed" data-testid="kb-count">
        {t('kb.results', { n: hits.length })}
      </Text>
      {hits.map((h) => (
        <Card key={h.id} withBorder padding="sm" data-testid="kb-hit">
          <Anchor
            fw={600}
            {...linkTo(href(`/knowledge/${encodeURIComponent(h.id)}`, { q: words }))}
            dir="auto"
          >
            <Marked segments={h.titleMarks} />
          </Anchor>
          <Text size="sm" c="dimmed" dir="auto" style={{ overflowWrap: 'anywhere' }}>
            <Marked segments={h.excerpt} />
          </Text>
          <Group gap={6} mt={4}>
            {h.category !== '' && (
              <Badge variant="light" size="sm">
                {h.category}
              </Badge>
            )}
            <StateBadge state={h.state} />
          </Group>
        </Card>
      ))}
    </Stack>
  );
}

function ArticleCard({ article, now }: { article: ArticleSummary; now: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const title = translationFor(article.titles, i18n.language)?.title ?? '';
  return (
    <Card withBorder padding="sm" data-testid="kb-article">
      <Anchor fw={600} {...linkTo(`/knowledge/${encodeURIComponent(article.id)}`)} dir="auto">
        {title}
      </Anchor>
      <Group gap={6} mt={4}>
        {article.category !== '' && (
          <Badge variant="light" size="sm">
            {article.category}
          </Badge>
        )}
        <StateBadge state={article.state} />
        <Text size="xs" c="dimmed">
          {t('kb.updated', { when: formatRelative(article.updatedAt, now, i18n) })}
        </Text>
      </Group>
    </Card>
  );
}
