import {
  Button,
  Card,
  Group,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { TICKET_CATEGORIES } from '@branchwatch/api';
import { useCallback, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { linkTo, navigate } from '../app/router';
import { fieldRefusal, FormError, useFormAction } from '../common/forms';
import { describeError } from '../common/describeError';
import { useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import { KnowledgeSuggestions } from './KnowledgeSlots';
import { PhotoPicker } from './PhotoPicker';
import { usePortalApi } from './usePortal';

/** What the form shows on the ticket's page once it is sent (photos that could not be added). */
export const SENT_NOTICE_KEY = 'bw.portal.sent';

/**
 * Reporting a problem: a few words, the kind, the branch (theirs; preset when they have one),
 * what happens, and photos from the phone's camera. The knowledge base suggests articles under
 * the subject while it is typed; "this solved it" leaves the form.
 */
export function NewTicketForm() {
  const i18n = useI18n();
  const { t } = i18n;
  const client = useApi();
  const portal = usePortalApi();
  const { data: branches } = useLoad(useCallback(() => client.branches(), [client]));
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const [chosenBranch, setBranch] = useState<string | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const branchId = chosenBranch ?? (branches?.length === 1 ? branches[0]!.id : null);

  const form = useFormAction(async () => {
    if (subject.trim() === '') throw fieldRefusal('subject', t('portal.new.subjectRequired'));
    if (!branchId) throw fieldRefusal('branchId', t('portal.new.branchRequired'));
    if (body.trim() === '') throw fieldRefusal('body', t('portal.new.bodyRequired'));
    const ticket = await portal.file({ subject, body, category, branchId });
    const failed: string[] = [];
    for (const photo of photos) {
      try {
        await portal.attach(ticket.id, photo);
      } catch (error) {
        failed.push(
          t('portal.new.photoFailed', { name: photo.name, why: describeError(error, i18n) }),
        );
      }
    }
    sessionStorage.setItem(SENT_NOTICE_KEY, JSON.stringify({ id: ticket.id, failed }));
    navigate(`/portal/tickets/${encodeURIComponent(ticket.id)}`);
  });

  return (
    <Card withBorder component="form" onSubmit={form.submit} data-testid="portal-new-ticket">
      <Stack gap="sm">
        <Title order={1} size="h3">
          {t('portal.new.title')}
        </Title>
        <TextInput
          label={t('portal.new.subject')}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          error={form.messageFor('subject')}
          maxLength={500}
          dir="auto"
          data-testid="portal-subject"
        />
        <KnowledgeSuggestions
          subject={subject}
          category={category}
          onSolved={() => navigate('/portal')}
        />
        <Select
          label={t('portal.new.category')}
          data={TICKET_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
          value={category}
          onChange={setCategory}
          clearable
          error={form.messageFor('category')}
          data-testid="portal-category"
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          label={t('portal.new.branch')}
          data={(branches ?? []).map((b) => ({ value: b.id, label: b.name }))}
          value={branchId}
          onChange={setBranch}
          error={form.messageFor('branchId')}
          data-testid="portal-branch"
        />
        <Textarea
          label={t('portal.new.body')}
          description={t('portal.new.bodyHelp')}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={form.messageFor('body')}
          autosize
          minRows={4}
          dir="auto"
          data-testid="portal-body"
        />
        <div>
          <Text size="sm" fw={500}>
            {t('portal.new.photos')}
          </Text>
          <Text size="xs" c="dimmed" mb={4}>
            {t('portal.new.photosHelp')}
          </Text>
          <PhotoPicker files={photos} onChange={setPhotos} label={t('portal.new.addPhoto')} />
        </div>
        {form.field === null && <FormError error={form.error} />}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" component="a" {...linkTo('/portal')}>
            {t('portal.new.cancel')}
          </Button>
          <Button type="submit" loading={form.busy} data-testid="portal-send">
            {t('portal.new.send')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
