import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  FileButton,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useApi } from '../api/ApiContext';
import type { DeskTicketDetail } from '../api/types';
import { describeError } from '../common/describeError';
import { useI18n } from '../i18n';

interface SideProps {
  detail: DeskTicketDetail;
  myId: string | null;
  onChanged: () => void;
}

function Section({
  title,
  testId,
  children,
}: {
  title: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Title order={3} size="h6" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** Runs one hub call and reports its failure in place; the panel reloads on success. */
function useAction(onChanged: () => void) {
  const i18n = useI18n();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(null);
    try {
      await call();
      onChanged();
    } catch (error) {
      setProblem(describeError(error, i18n));
    } finally {
      setBusy(false);
    }
  };
  return { problem, busy, run };
}

export function TagsPanel({ detail, onChanged }: SideProps) {
  const api = useApi();
  const { t } = useI18n();
  const [tag, setTag] = useState('');
  const { problem, busy, run } = useAction(onChanged);
  const id = detail.ticket.id;
  return (
    <Section title={t('desk.tags.label')} testId="tags">
      <Group gap={6} mb="xs">
        {detail.tags.map((name) => (
          <Badge
            key={name}
            variant="light"
            data-testid="tag"
            rightSection={
              <ActionIcon
                size="xs"
                variant="transparent"
                aria-label={t('desk.tags.remove', { tag: name })}
                onClick={() => void run(() => api.removeTicketTag(id, name))}
              >
                ×
              </ActionIcon>
            }
          >
            {name}
          </Badge>
        ))}
      </Group>
      <TextInput
        size="xs"
        placeholder={t('desk.tags.add')}
        aria-label={t('desk.tags.add')}
        value={tag}
        disabled={busy}
        onChange={(e) => setTag(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && tag.trim() !== '') {
            const value = tag.trim();
            setTag('');
            void run(() => api.addTicketTag(id, value));
          }
        }}
        data-testid="tag-input"
      />
      {problem !== null && (
        <Alert color="red" mt="xs">
          {problem}
        </Alert>
      )}
    </Section>
  );
}

export function WatchersPanel({ detail, myId, onChanged }: SideProps) {
  const api = useApi();
  const { t } = useI18n();
  const { problem, busy, run } = useAction(onChanged);
  const watching = myId !== null && detail.watchers.some((w) => w.id === myId);
  const id = detail.ticket.id;
  return (
    <Section title={t('desk.watchers.label')} testId="watchers">
      {detail.watchers.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('desk.watchers.none')}
        </Text>
      ) : (
        <Group gap={6}>
          {detail.watchers.map((w) => (
            <Badge key={w.id} color="gray" variant="outline" data-testid="watcher">
              {w.username}
            </Badge>
          ))}
        </Group>
      )}
      {myId !== null && (
        <Button
          size="compact-sm"
          variant="light"
          mt="xs"
          disabled={busy}
          onClick={() =>
            void run(() => (watching ? api.removeWatcher(id, myId) : api.addWatcher(id, myId)))
          }
          data-testid="watch-toggle"
        >
          {watching ? t('desk.watchers.unwatch') : t('desk.watchers.watch')}
        </Button>
      )}
      {problem !== null && (
        <Alert color="red" mt="xs">
          {problem}
        </Alert>
      )}
    </Section>
  );
}

export function AttachmentsPanel({ detail, onChanged }: SideProps) {
  const api = useApi();
  const { t } = useI18n();
  const { problem, busy, run } = useAction(onChanged);
  const id = detail.ticket.id;
  return (
    <Section title={t('desk.attachments.label')} testId="attachments">
      {detail.attachments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('desk.attachments.none')}
        </Text>
      ) : (
        <Stack gap={4}>
          {detail.attachments.map((a) => (
            <Group key={a.id} gap="xs" justify="space-between" wrap="nowrap">
              <Anchor
                size="sm"
                href={`/api/v1/tickets/${encodeURIComponent(id)}/attachments/${encodeURIComponent(a.id)}`}
                download={a.name}
                data-testid="attachment"
                dir="ltr"
              >
                {a.name}
              </Anchor>
              <Text size="xs" c="dimmed">
                {t('desk.attachments.size', { kb: Math.max(1, Math.round(a.size / 1024)) })}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
      <FileButton onChange={(file) => file && void run(() => api.uploadAttachment(id, file))}>
        {(props) => (
          <Button
            {...props}
            size="compact-sm"
            variant="light"
            mt="xs"
            loading={busy}
            data-testid="attach"
          >
            {t('desk.attachments.upload')}
          </Button>
        )}
      </FileButton>
      {problem !== null && (
        <Alert color="red" mt="xs" title={t('desk.attachments.failed')}>
          {problem}
        </Alert>
      )}
    </Section>
  );
}
