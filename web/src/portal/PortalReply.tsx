import { Badge, Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { describeError } from '../common/describeError';
import { fieldRefusal, FormError, useFormAction } from '../common/forms';
import { useI18n } from '../i18n';
import {
  discardReply,
  isUnreachable,
  newReplyKey,
  queueReply,
  refuseReply,
  sendReply,
  type QueuedReply,
} from './offline/replyQueue';
import { useOnline, useQueuedReplies } from './offline/useReplyQueue';
import { PhotoPicker } from './PhotoPicker';
import { usePortalApi } from './usePortal';

/**
 * A reply to the help desk (always public), with photos; a reply to an answer hands it back.
 * Without a connection the text and the photos wait in this browser and go when the connection
 * returns (./offline/replyQueue.ts); a refusal is shown here, at the form, or on the waiting
 * reply when it comes later.
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
  const { t } = useI18n();
  const portal = usePortalApi();
  const online = useOnline();
  const waiting = useQueuedReplies(userId, ticketId);
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const form = useFormAction(
    async () => {
      if (body.trim() === '' && photos.length === 0)
        throw fieldRefusal('body', t('portal.ticket.replyRequired'));
      // The keys are made now: what is sent again later carries the same ones.
      const reply: QueuedReply = {
        key: newReplyKey(),
        userId,
        ticketId,
        body: body.trim(),
        photos: photos.map((file) => ({ key: newReplyKey(), file })),
        writtenAt: Date.now(),
      };
      if (!navigator.onLine) return queueReply(reply);
      let rest = reply;
      try {
        await sendReply(reply, portal, async (left) => {
          rest = left;
        });
      } catch (error) {
        // The connection went: what was not sent yet waits, with the same keys.
        if (isUnreachable(error)) return queueReply(rest);
        // Refused after the text went (a photo): the rest shows as not sent, and why.
        if (rest !== reply) return refuseReply(rest, error);
        // Refused at once: shown at the form (its field when the hub names one).
        throw error;
      }
    },
    () => {
      setBody('');
      setPhotos([]);
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

/**
 * A reply written offline: its text and photos, and that it waits (or why the help desk
 * refused it).
 */
function WaitingReply({ reply }: { reply: QueuedReply }) {
  const i18n = useI18n();
  const { t } = i18n;
  const refusal = reply.refusal
    ? describeError(
        new ApiError(
          reply.refusal.status,
          reply.refusal.code,
          reply.refusal.message,
          reply.refusal.details,
        ),
        i18n,
      )
    : null;
  return (
    <Card withBorder padding="sm" data-testid="portal-waiting-reply">
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Badge color={reply.refused ? 'red' : 'yellow'}>
            {reply.refused ? t('portal.offline.notSent') : t('portal.offline.waiting')}
          </Badge>
        </Group>
        {reply.body !== '' && (
          <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {reply.body}
          </Text>
        )}
        {reply.photos?.map((photo) => (
          <WaitingPhoto key={photo.key} file={photo.file} />
        ))}
        <Text size="xs" c="dimmed" data-testid="portal-waiting-why">
          {reply.refused === 'gone'
            ? t('portal.offline.refusedGone')
            : reply.refused
              ? `${t('portal.offline.refused')}${refusal ? ` ${refusal}` : ''}`
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

/** A photo that waits: a small picture of it (from the kept file) and its name. */
function WaitingPhoto({ file }: { file: File }) {
  const picture = useRef<HTMLImageElement>(null);
  useEffect(() => {
    const made = URL.createObjectURL(file);
    if (picture.current) picture.current.src = made;
    return () => URL.revokeObjectURL(made);
  }, [file]);
  return (
    <Group gap="xs" wrap="nowrap" data-testid="portal-waiting-photo">
      <img
        ref={picture}
        alt=""
        style={{ width: 48, height: 48, objectFit: 'cover', borderRadius: 4, flex: 'none' }}
      />
      <Text size="sm" dir="auto" truncate style={{ minWidth: 0, flex: 1 }}>
        {file.name}
      </Text>
    </Group>
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
