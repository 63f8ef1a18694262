import { Anchor, Button, Collapse, Group, Paper, Stack, Text, Typography } from '@mantine/core';
import { useCallback, useState } from 'react';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import classes from './Knowledge.module.css';
import { translationFor, type SearchHit } from './knowledgeApi';
import { Marked } from './Marked';
import { useKnowledgeApi, useSettled } from './useKnowledge';

/**
 * Articles for a ticket's subject while it is typed (any of its words, the hub's suggestions).
 * "Read" opens the article in place, so the form is not lost; "This solved it" counts a
 * deflection with the subject and tells the form to leave.
 */
export function Suggestions({
  subject,
  onSolved,
}: {
  subject: string;
  onSolved: (articleId: string) => void;
}) {
  const kb = useKnowledgeApi();
  const { language } = useI18n();
  const words = useSettled(subject.trim(), 350);
  const load = useCallback(
    async () => (words.length < 3 ? [] : kb.suggestions(words, language, 4)),
    [kb, words, language],
  );
  const { data } = useLoad(load);
  const { t } = useI18n();
  if (!data || data.length === 0 || words.length < 3) return null;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="kb-suggestions">
      <Text size="sm" fw={600} mb={6}>
        {t('kb.suggestions')}
      </Text>
      <Stack gap="xs">
        {data.map((h) => (
          <Suggestion key={h.id} hit={h} subject={words} onSolved={onSolved} />
        ))}
      </Stack>
    </Paper>
  );
}

function Suggestion(props: {
  hit: SearchHit;
  subject: string;
  onSolved: (articleId: string) => void;
}) {
  const { hit, subject, onSolved } = props;
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t } = i18n;
  const [open, setOpen] = useState(false);
  const [html, setHtml] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const read = async () => {
    setOpen(!open);
    if (html !== null) return;
    try {
      const article = await kb.article(hit.id);
      setHtml(translationFor(article.translations, i18n.language)?.html ?? '');
    } catch (e) {
      setProblem(describeError(e, i18n));
    }
  };
  const solved = async () => {
    try {
      await kb.solved(hit.id, subject);
      onSolved(hit.id);
    } catch (e) {
      setProblem(describeError(e, i18n));
    }
  };
  return (
    <div data-testid="kb-suggestion">
      <Anchor component="button" type="button" fw={500} onClick={() => void read()} dir="auto">
        <Marked segments={hit.titleMarks} />
      </Anchor>
      <Collapse expanded={open}>
        <Paper p="xs" mt={4} bg="var(--mantine-color-default-hover)">
          <Typography className={classes.body} dir={hit.language === 'fa' ? 'rtl' : 'ltr'}>
            {/* Sanitised on the hub (hub/src/knowledge/article-html.ts). */}
            <div
              data-testid="kb-suggestion-body"
              dangerouslySetInnerHTML={{ __html: html ?? '' }}
            />
          </Typography>
          <Group mt="xs">
            <Button
              size="compact-sm"
              onClick={() => void solved()}
              data-testid="kb-suggestion-solved"
            >
              {t('kb.suggestion.solved')}
            </Button>
          </Group>
        </Paper>
      </Collapse>
      {problem && (
        <Text size="xs" c="red">
          {problem}
        </Text>
      )}
    </div>
  );
}
