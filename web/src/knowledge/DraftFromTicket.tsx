import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { navigate } from '../app/router';
import { describeError } from '../common/describeError';
import { useI18n } from '../i18n';
import { useCanEditKnowledge, useKnowledgeApi } from './useKnowledge';

/**
 * On a resolved or closed ticket, to people who write articles: a draft article from its
 * conversation (the hub leaves out the people: names, addresses, phone numbers and e-mail
 * addresses; docs/knowledge-base.md "From a ticket"), opened in the editor to read and finish.
 */
export function DraftFromTicket({ ticketId, state }: { ticketId: string; state: string }) {
  const kb = useKnowledgeApi();
  const i18n = useI18n();
  const { t } = i18n;
  const canWrite = useCanEditKnowledge();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!canWrite || (state !== 'resolved' && state !== 'closed')) return null;
  const start = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const draft = await kb.draftFromTicket(ticketId, i18n.language);
      navigate(`/knowledge/${encodeURIComponent(draft.id)}/edit`);
    } catch (e) {
      setProblem(describeError(e, i18n));
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="sm" data-testid="kb-draft-from-ticket">
      <Stack gap="xs">
        <Title order={2} size="h5">
          {t('kb.fromTicket.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('kb.fromTicket.help')}
        </Text>
        {problem && (
          <Text size="sm" c="red" role="alert">
            {problem}
          </Text>
        )}
        {/* A long label in French wraps on a phone instead of being cut. */}
        <Button
          variant="light"
          loading={busy}
          onClick={() => void start()}
          h="auto"
          py={6}
          styles={{ label: { whiteSpace: 'normal', textAlign: 'center' } }}
        >
          {t('kb.fromTicket.start')}
        </Button>
      </Stack>
    </Paper>
  );
}
