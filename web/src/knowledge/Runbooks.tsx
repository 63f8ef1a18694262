import { Anchor, Paper, Stack, Text, Title, Typography } from '@mantine/core';
import { useCallback } from 'react';
import { linkTo } from '../app/router';
import { useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import classes from './Knowledge.module.css';
import { translationFor, type Article } from './knowledgeApi';
import { useKnowledgeApi } from './useKnowledge';

/**
 * On an alert ticket: the articles linked to its check type, check role or fingerprint (the
 * hub matches them, docs/knowledge-base.md "Runbooks"), each with its steps as the hub rendered
 * and sanitised them, in the reader's language. Nothing when none matches or none is readable.
 */
export function Runbooks({ ticketId }: { ticketId: string }) {
  const kb = useKnowledgeApi();
  const load = useCallback(async () => {
    const found = await kb.runbooks(ticketId);
    return Promise.all(found.slice(0, 3).map((a) => kb.article(a.id)));
  }, [kb, ticketId]);
  const { data } = useLoad(load);
  const { t } = useI18n();
  if (!data || data.length === 0) return null;
  return (
    <Paper withBorder p="sm" mb="md" data-testid="runbooks">
      <Title order={2} size="h5" data-testid="runbooks-heading">
        {t('kb.runbooks')}
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        {t('kb.runbooks.help')}
      </Text>
      <Stack gap="md">
        {data.map((article) => (
          <Runbook key={article.id} article={article} />
        ))}
      </Stack>
    </Paper>
  );
}

function Runbook({ article }: { article: Article }) {
  const { t, language } = useI18n();
  const shown = translationFor(article.translations, language);
  if (!shown) return null;
  return (
    <div data-testid="runbook" lang={shown.language} dir={shown.language === 'fa' ? 'rtl' : 'ltr'}>
      <Title order={3} size="h6" mb={4} data-testid="runbook-title">
        {shown.title}
      </Title>
      <Typography className={`${classes.body} ${classes.compact}`}>
        {/* Sanitised on the hub (hub/src/knowledge/article-html.ts). */}
        <div data-testid="runbook-body" dangerouslySetInnerHTML={{ __html: shown.html }} />
      </Typography>
      <Anchor size="sm" {...linkTo(`/knowledge/${article.id}`)}>
        {t('kb.runbook.open')}
      </Anchor>
    </div>
  );
}
