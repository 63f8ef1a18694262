import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Title,
  Typography,
} from '@mantine/core';
import { useCallback, useState } from 'react';
import type { Language } from '@branchwatch/api';
import { ApiError } from '../api/client';
import { href, linkTo, useLocation } from '../app/router';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useNow } from '../common/useNow';
import { formatRelative } from '../format/relativeTime';
import { useI18n } from '../i18n';
import classes from './Knowledge.module.css';
import { translationFor, type Article, type ArticleTranslation } from './knowledgeApi';
import { StateBadge } from './StateBadge';
import { useCanEditKnowledge, useKnowledgeApi } from './useKnowledge';

/** "Last updated 3 days ago, 15 Azar 1405": in words and in the reader's calendar. */
export function useUpdatedText(at: string): string {
  const i18n = useI18n();
  const now = useNow(60_000);
  const date = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long' }).format(new Date(at));
  return i18n.t('kb.updatedOn', { when: formatRelative(at, now, i18n), date });
}

/** One article as a person reads it: the hub's sanitised HTML, and "did this help?". */
export function ArticlePage({ articleId }: { articleId: string }) {
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t } = i18n;
  const { query } = useLocation();
  const load = useCallback(() => kb.article(articleId), [kb, articleId]);
  const { data, error } = useLoad(load);
  const canEdit = useCanEditKnowledge();
  const chosen = query.get('lang') as Language | null;

  const back = (
    <Anchor size="sm" {...linkTo(href('/knowledge', { q: query.get('q') }))}>
      {t('kb.back')}
    </Anchor>
  );
  if (error)
    return (
      <Stack gap="sm" maw={820}>
        {back}
        {error instanceof ApiError && error.status === 404 ? (
          <Card withBorder data-testid="kb-not-found">
            <EmptyState title={t('kb.notFound')} />
          </Card>
        ) : (
          <Alert color="red" title={t('kb.loadFailed')}>
            {describeError(error, i18n)}
          </Alert>
        )}
      </Stack>
    );
  if (!data) return <Loader size="sm" />;
  const shown =
    data.translations.find((x) => x.language === chosen) ??
    translationFor(data.translations, i18n.language);
  return (
    <Stack gap="sm" maw={820} data-testid="kb-article-page">
      <Group justify="space-between" gap="xs">
        {back}
        {canEdit && (
          <Button
            size="compact-sm"
            variant="default"
            component="a"
            {...linkTo(`/knowledge/${encodeURIComponent(data.id)}/edit`)}
            data-testid="kb-edit"
          >
            {t('kb.edit')}
          </Button>
        )}
      </Group>
      {shown ? <Reading article={data} shown={shown} words={query.get('q') ?? ''} /> : null}
    </Stack>
  );
}

function Reading({
  article,
  shown,
  words,
}: {
  article: Article;
  shown: ArticleTranslation;
  words: string;
}) {
  const { t } = useI18n();
  const updated = useUpdatedText(shown.updatedAt);
  const others = article.translations.filter((x) => x.language !== shown.language);
  const dir = shown.language === 'fa' ? 'rtl' : 'ltr';
  return (
    <>
      <Paper withBorder p={{ base: 'sm', sm: 'lg' }} radius="md" dir={dir} lang={shown.language}>
        <Stack gap="xs">
          <Title order={2} size="h3" data-testid="kb-article-title">
            {shown.title}
          </Title>
          <Group gap={6}>
            {article.category !== '' && (
              <Badge variant="light" size="sm">
                {article.category}
              </Badge>
            )}
            {article.audience === 'internal' && (
              <Badge variant="outline" size="sm" color="grape">
                {t('kb.audience.internal')}
              </Badge>
            )}
            <StateBadge state={article.state} />
          </Group>
          <Text size="sm" c="dimmed" data-testid="kb-updated" dir={undefined}>
            {updated}
          </Text>
          <Typography className={classes.body}>
            {/* Sanitised on the hub (hub/src/knowledge/article-html.ts): an allow-list of
                tags and attributes, links and images checked. */}
            <div data-testid="kb-article-body" dangerouslySetInnerHTML={{ __html: shown.html }} />
          </Typography>
        </Stack>
      </Paper>
      {others.length > 0 && (
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t('kb.alsoIn')}
          </Text>
          {others.map((o) => (
            <Anchor
              key={o.language}
              size="sm"
              {...linkTo(
                href(`/knowledge/${encodeURIComponent(article.id)}`, {
                  lang: o.language,
                  q: words,
                }),
              )}
            >
              {t(`language.${o.language}`)}
            </Anchor>
          ))}
        </Group>
      )}
      {article.state === 'published' && <Feedback articleId={article.id} words={words} />}
    </>
  );
}

/** "Did this help?": yes counts a ticket not filed (a deflection), with the words searched. */
function Feedback({ articleId, words }: { articleId: string; words: string }) {
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t } = i18n;
  const [answer, setAnswer] = useState<'yes' | 'no' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const yes = async () => {
    setProblem(null);
    try {
      await kb.solved(articleId, words);
      setAnswer('yes');
    } catch (error) {
      setProblem(describeError(error, i18n));
    }
  };
  return (
    <Paper withBorder p="sm" data-testid="kb-feedback">
      {answer === null ? (
        <Group gap="xs" justify="space-between">
          <Text fw={500}>{t('kb.helpful')}</Text>
          <Group gap="xs">
            <Button size="sm" onClick={() => void yes()} data-testid="kb-helpful-yes">
              {t('kb.helpful.yes')}
            </Button>
            <Button size="sm" variant="default" onClick={() => setAnswer('no')}>
              {t('kb.helpful.no')}
            </Button>
          </Group>
        </Group>
      ) : (
        <Text data-testid="kb-feedback-answer">
          {answer === 'yes' ? t('kb.helpful.thanks') : t('kb.helpful.sorry')}
        </Text>
      )}
      {problem && (
        <Text c="red" size="sm" mt="xs">
          {problem}
        </Text>
      )}
    </Paper>
  );
}
