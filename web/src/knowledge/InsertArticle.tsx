import { Alert, Badge, Button, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import { articleUrl, type SearchHit } from './knowledgeApi';
import { Marked } from './Marked';
import { useKnowledgeApi, useSettled } from './useKnowledge';

/**
 * "Insert article" in an agent's reply (docs/knowledge-base.md "In the desk"): searches the
 * articles the ticket's requester may read (the hub decides, from the ticket's tenant) and
 * hands the reply either the article's address, which the conversation shows as a link with
 * its title, or its title and text as plain text.
 */
export function InsertArticle({
  ticketId,
  opened,
  onClose,
  onInsert,
}: {
  ticketId: string;
  opened: boolean;
  onClose: () => void;
  onInsert: (text: string, title: string) => void;
}) {
  const { t } = useI18n();
  const phone = useMediaQuery('(max-width: 36em)');
  const [words, setWords] = useState('');
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('kb.insert')}
      size="lg"
      fullScreen={phone ?? false}
      data-testid="kb-insert"
    >
      <Stack gap="sm">
        <TextInput
          label={t('kb.insert.search')}
          description={t('kb.insert.help')}
          value={words}
          onChange={(e) => setWords(e.currentTarget.value)}
          dir="auto"
          data-autofocus
          data-testid="kb-insert-search"
        />
        {opened && <Hits ticketId={ticketId} words={words} onInsert={onInsert} />}
      </Stack>
    </Modal>
  );
}

function Hits({
  ticketId,
  words,
  onInsert,
}: {
  ticketId: string;
  words: string;
  onInsert: (text: string, title: string) => void;
}) {
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t, language } = i18n;
  const settled = useSettled(words.trim(), 300);
  const load = useCallback(
    async () => (settled.length < 2 ? null : kb.forReply(ticketId, settled, language)),
    [kb, ticketId, settled, language],
  );
  const { data, error } = useLoad(load);
  const [problem, setProblem] = useState<string | null>(null);
  if (error) return <Alert color="red">{describeError(error, i18n)}</Alert>;
  if (!data) return null;
  if (data.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="kb-insert-none">
        {t('kb.insert.none')}
      </Text>
    );
  const asText = async (hit: SearchHit) => {
    setProblem(null);
    try {
      const article = await kb.replyText(ticketId, hit.id, hit.language);
      onInsert(`${article.title}\n\n${article.text}`, article.title);
    } catch (e) {
      setProblem(describeError(e, i18n));
    }
  };
  return (
    <Stack gap="xs">
      {problem !== null && <Alert color="red">{problem}</Alert>}
      {data.map((hit) => (
        <Paper key={hit.id} withBorder p="sm" data-testid="kb-insert-hit">
          <Group justify="space-between" gap="xs" wrap="wrap" mb={4}>
            <Text fw={600} size="sm" dir="auto" style={{ overflowWrap: 'anywhere' }}>
              <Marked segments={hit.titleMarks} />
            </Text>
            {hit.language !== language && (
              <Badge variant="light" color="gray" size="sm">
                {t(`language.${hit.language}`)}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" dir="auto" lineClamp={2} mb="xs">
            <Marked segments={hit.excerpt} />
          </Text>
          <Group gap="xs">
            <Button
              size="compact-sm"
              onClick={() => onInsert(articleUrl(window.location.origin, hit.id), hit.title)}
              data-testid="kb-insert-link"
            >
              {t('kb.insert.link')}
            </Button>
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => void asText(hit)}
              data-testid="kb-insert-text"
            >
              {t('kb.insert.text')}
            </Button>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
