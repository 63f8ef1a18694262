import { Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { fieldRefusal, FormError, useFormAction } from '../common/forms';
import { useI18n } from '../i18n';
import { PhotoPicker } from './PhotoPicker';
import { usePortalApi } from './usePortal';

/** A reply to the help desk (always public), with photos; a reply to an answer hands it back. */
export function PortalReply({ ticketId, onSent }: { ticketId: string; onSent: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const portal = usePortalApi();
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const form = useFormAction(
    async () => {
      if (body.trim() === '' && photos.length === 0)
        throw fieldRefusal('body', t('portal.ticket.replyRequired'));
      if (body.trim() !== '') await portal.reply(ticketId, body);
      for (const photo of photos) await portal.attach(ticketId, photo);
    },
    () => {
      setBody('');
      setPhotos([]);
      onSent();
    },
  );
  return (
    <Card
      withBorder
      padding="sm"
      component="form"
      onSubmit={form.submit}
      data-testid="portal-reply"
    >
      <Stack gap="xs">
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
