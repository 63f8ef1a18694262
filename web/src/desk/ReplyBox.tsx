import {
  Alert,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { CannedReply } from '../api/types';
import { describeError } from '../common/describeError';
import { useI18n } from '../i18n';
import { InsertArticle } from '../knowledge/InsertArticle';

/**
 * A public reply or an internal note, optionally starting with a canned reply (the hub fills
 * its variables, docs/tickets.md "Conversation"). Not optimistic: the message appears once
 * the hub stored it.
 */
export function ReplyBox({ ticketId, onSent }: { ticketId: string; onSent: () => void }) {
  const api = useApi();
  const i18n = useI18n();
  const { t } = i18n;
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [body, setBody] = useState('');
  const [canned, setCanned] = useState<string | null>(null);
  const [cannedReplies, setCannedReplies] = useState<CannedReply[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [inserting, setInserting] = useState(false);
  const [inserted, setInserted] = useState<string | null>(null);

  useEffect(() => {
    api.cannedReplies().then(setCannedReplies, () => setCannedReplies([]));
  }, [api]);

  const send = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await api.replyToTicket(ticketId, {
        visibility,
        ...(body.trim() !== '' ? { body } : {}),
        ...(canned !== null ? { cannedReplyId: canned } : {}),
      });
      setBody('');
      setCanned(null);
      setInserted(null);
      onSent();
    } catch (error) {
      setProblem(describeError(error, i18n));
    } finally {
      setBusy(false);
    }
  };

  const internal = visibility === 'internal';
  return (
    <Paper withBorder p="sm" data-testid="reply-box">
      <Stack gap="xs">
        <Group justify="space-between" align="end" gap="xs">
          <SegmentedControl
            value={visibility}
            onChange={(v) => setVisibility(v as 'public' | 'internal')}
            data={[
              { value: 'public', label: t('desk.reply.public') },
              { value: 'internal', label: t('desk.reply.internal') },
            ]}
            color={internal ? 'yellow' : undefined}
            data-testid="reply-visibility"
          />
          {cannedReplies.length > 0 && (
            <Select
              label={t('desk.reply.canned')}
              placeholder={t('desk.reply.cannedHelp')}
              data={cannedReplies.map((c) => ({ value: c.id, label: c.name }))}
              value={canned}
              onChange={setCanned}
              clearable
              w={{ base: '100%', xs: 260 }}
              data-testid="reply-canned"
            />
          )}
        </Group>
        <Textarea
          label={t('desk.reply.label')}
          autosize
          minRows={3}
          maxRows={12}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Ctrl/⌘+Enter sends, as in mail clients.
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send();
          }}
          styles={
            internal ? { input: { background: 'var(--mantine-color-yellow-light)' } } : undefined
          }
          dir="auto"
          data-testid="reply-body"
        />
        {inserted !== null && (
          <Text size="xs" c="dimmed" data-testid="kb-inserted">
            {t('kb.insert.inserted', { title: inserted })}
          </Text>
        )}
        {problem !== null && (
          <Alert color="red" title={t('desk.reply.failed')}>
            {problem}
          </Alert>
        )}
        <Group justify="space-between" gap="xs">
          <Button variant="default" onClick={() => setInserting(true)} data-testid="kb-insert-open">
            {t('kb.insert')}
          </Button>
          <Button
            color={internal ? 'yellow' : undefined}
            loading={busy}
            disabled={body.trim() === '' && canned === null}
            onClick={() => void send()}
            data-testid="reply-send"
          >
            {internal ? t('desk.reply.sendNote') : t('desk.reply.send')}
          </Button>
        </Group>
      </Stack>
      <InsertArticle
        ticketId={ticketId}
        opened={inserting}
        onClose={() => setInserting(false)}
        onInsert={(text, title) => {
          setBody((before) => (before.trim() === '' ? text : `${before.trimEnd()}\n\n${text}`));
          setInserted(title);
          setInserting(false);
        }}
      />
    </Paper>
  );
}
