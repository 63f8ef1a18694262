import { Badge, Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { useRef, useState } from 'react';
import { fieldRefusal, FormError, useFormAction } from '../common/forms';
import { useI18n } from '../i18n';
import {
  discardReply,
  isUnreachable,
  newReplyKey,
  queueReply,
  type QueuedReply,
} from './offline/replyQueue';
import { useOnline, useQueuedReplies } from './offline/useReplyQueue';
import { PhotoPicker } from './PhotoPicker';
import { usePortalApi } from './usePortal';

/**
 * A reply to the help desk (always public), with photos; a reply to an answer hands it back.
 * Without a connection the text waits in this browser and goes when the connection returns
 * (./offline/replyQueue.ts); photos need the connection.
 */
export function PortalReply({
  userId,
  ticketId,
  onSent,
}: {
  userId: string;
  ticketId: string;
  onSent: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const portal = usePortalApi();
  const online = useOnline();
  const waiting = useQueuedReplies(userId, ticketId);
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [photosWait, setPhotosWait] = useState(false);
  const queuedNow = useRef(false);
  const form = useFormAction(
    async () => {
      if (body.trim() === '' && photos.length === 0)
        throw fieldRefusal('body', t('portal.ticket.replyRequired'));
      let queued = false;
      queuedNow.current = false;
      if (body.trim() !== '') {
        // The key is made now: a reply whose answer is lost on the way is sent again with it.
        const key = newReplyKey();
        const later = () =>
          queueReply({ key, userId, ticketId, body: body.trim(), writtenAt: Date.now() });
        if (!navigator.onLine) {
          await later();
          queued = true;
        } else {
          try {
            await portal.reply(ticketId, body, key);
          } catch (error) {
            if (!isUnreachable(error)) throw error;
            await later();
            queued = true;
          }
        }
      }
      queuedNow.current = queued || !navigator.onLine;
      if (queuedNow.current) return;
      for (const photo of photos) await portal.attach(ticketId, photo);
    },
    () => {
      setBody('');
      setPhotosWait(queuedNow.current && photos.length > 0);
      if (!queuedNow.current) setPhotos([]);
      onSent();
    },
  );
  return (
    <Stack gap="xs">
      {waiting.map((reply) => (
        <WaitingReply key={reply.key} reply={reply} />
      ))}
      <Card
        withBorder
        padding="sm"
        component="form"
        onSubmit={form.submit}
        data-testid="portal-reply"
      >
        <Stack gap="xs">
          {!online && (
            <Text size="sm" c="dimmed" data-testid="portal-offline-note">
              {t('portal.offline.replyNote')}
            </Text>
          )}
          <Textarea
            label={t('portal.ticket.reply')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={form.messageFor('body')}
            autosize
            minRows={3}
            dir="auto"
            data-testid="portal-reply-body"
          />
          <PhotoPicker files={photos} onChange={setPhotos} label={t('portal.ticket.addPhoto')} />
          {photosWait && photos.length > 0 && (
            <Text size="sm" c="yellow.8">
              {t('portal.offline.photosWait')}
            </Text>
          )}
          {form.field === null && <FormError error={form.error} />}
          <Group justify="flex-end">
            <Button type="submit" loading={form.busy} data-testid="portal-reply-send">
              {t('portal.ticket.send')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}

/** A reply written offline: its text, and that it waits (or why the help desk refused it). */
function WaitingReply({ reply }: { reply: QueuedReply }) {
  const { t } = useI18n();
  return (
    <Card withBorder padding="sm" data-testid="portal-waiting-reply">
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Badge color={reply.refused ? 'red' : 'yellow'}>
            {reply.refused ? t('portal.offline.notSent') : t('portal.offline.waiting')}
          </Badge>
        </Group>
        <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {reply.body}
        </Text>
        <Text size="xs" c="dimmed">
          {reply.refused === 'gone'
            ? t('portal.offline.refusedGone')
            : reply.refused
              ? t('portal.offline.refused')
              : t('portal.offline.waitingHelp')}
        </Text>
        {reply.refused && (
          <Group justify="flex-end">
            <Button size="xs" variant="subtle" onClick={() => void discardReply(reply.key)}>
              {t('portal.offline.discard')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

/** Reopening a resolved ticket within the window (with what still does not work), or why not. */
export function ReopenCard({
  ticketId,
  reopenUntil,
  onReopened,
}: {
  ticketId: string;
  reopenUntil: string | null;
  onReopened: () => void;
}) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const portal = usePortalApi();
  const [why, setWhy] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!reopenUntil)
    return (
      <Text size="sm" c="dimmed" data-testid="portal-reopen-closed">
        {t('portal.ticket.closedHelp')}
      </Text>
    );
  const until = new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(
    new Date(reopenUntil),
  );
  const reopen = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await portal.reopen(ticketId, why.trim() || undefined);
      setWhy('');
      onReopened();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder padding="sm" data-testid="portal-reopen">
      <Stack gap="xs">
        <Text size="sm">{t('portal.ticket.reopenHelp', { date: until })}</Text>
        <Textarea
          label={t('portal.ticket.reopenWhy')}
          value={why}
          onChange={(e) => setWhy(e.currentTarget.value)}
          autosize
          minRows={2}
          dir="auto"
        />
        {problem !== null && <FormError error={problem} />}
        <Group justify="flex-end">
          <Button
            variant="light"
            loading={busy}
            onClick={() => void reopen()}
            data-testid="portal-reopen-button"
          >
            {t('portal.ticket.reopen')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
