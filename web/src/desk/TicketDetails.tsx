import { Button, Group, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { DeskTicket, TicketChange } from '../api/types';
import { useI18n } from '../i18n';
import { CategoryInput } from './CategoryInput';
import { categoryLabel } from './timeline';
import type { TicketEditor } from './useTicketEditor';
import { Field } from '../common/Field';

interface Draft {
  subject: string;
  requesterName: string;
  requesterContact: string;
  category: string;
}

const draftOf = (t: DeskTicket): Draft => ({
  subject: t.subject,
  requesterName: t.requesterName ?? '',
  requesterContact: t.requesterContact ?? '',
  category: t.category ?? '',
});

/** The fields of a draft that differ from the ticket it started from, as the hub takes them. */
function changesOf(draft: Draft, from: DeskTicket): TicketChange {
  const text = (v: string) => (v.trim() === '' ? null : v.trim());
  const change: TicketChange = {};
  if (draft.subject.trim() !== from.subject && draft.subject.trim() !== '') {
    change.subject = draft.subject.trim();
  }
  if (text(draft.requesterName) !== from.requesterName)
    change.requesterName = text(draft.requesterName);
  if (text(draft.requesterContact) !== from.requesterContact) {
    change.requesterContact = text(draft.requesterContact);
  }
  if (text(draft.category) !== from.category) change.category = text(draft.category);
  return change;
}

/**
 * Who asked, how to reach them, the category; edited in place. An edit applies to the version
 * it started from: if someone changed the ticket meanwhile the hub refuses it and the page
 * says what changed (useTicketEditor).
 */
export function TicketDetails({ ticket, editor }: { ticket: DeskTicket; editor: TicketEditor }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<{ from: DeskTicket; draft: Draft } | null>(null);
  const none = t('common.none');
  // A ticket an alert opened was asked for by nobody: the hub opened it.
  const requester =
    ticket.requesterName ?? (ticket.source === 'alert' ? t('desk.ticket.byAlert') : none);

  if (editing === null) {
    return (
      <Paper withBorder p="sm" data-testid="ticket-details">
        <Group justify="space-between" mb="xs">
          <Title order={3} size="h6">
            {t('desk.details.title')}
          </Title>
          <Button
            size="compact-sm"
            variant="light"
            onClick={() => setEditing({ from: ticket, draft: draftOf(ticket) })}
            data-testid="details-edit"
          >
            {t('desk.details.edit')}
          </Button>
        </Group>
        <Stack gap={6}>
          <Field label={t('desk.field.requester')}>
            <bdi>{requester}</bdi>
          </Field>
          <Field label={t('desk.field.requesterContact')}>
            {/* A phone number or an address reads left to right, also in Persian. */}
            {ticket.requesterContact === null ? (
              none
            ) : (
              <bdi dir="ltr">{ticket.requesterContact}</bdi>
            )}
          </Field>
          <Field label={t('desk.field.category')}>
            {ticket.category === null ? none : categoryLabel(ticket.category, t)}
          </Field>
        </Stack>
      </Paper>
    );
  }

  const { draft, from } = editing;
  const set = (patch: Partial<Draft>) => setEditing({ from, draft: { ...draft, ...patch } });
  const save = async () => {
    const change = changesOf(draft, from);
    // Saved, or refused because someone changed the ticket first: the page shows what changed
    // and offers to apply this change again; the form would only hold the old version.
    if (Object.keys(change).length === 0 || (await editor.change(change, from)) !== 'failed') {
      setEditing(null);
    }
  };
  return (
    <Paper withBorder p="sm" data-testid="ticket-details" data-editing>
      <Title order={3} size="h6" mb="xs">
        {t('desk.details.title')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack gap="xs">
          <TextInput
            label={t('desk.field.subject')}
            value={draft.subject}
            onChange={(e) => set({ subject: e.currentTarget.value })}
            data-testid="details-subject"
          />
          <TextInput
            label={t('desk.field.requester')}
            value={draft.requesterName}
            onChange={(e) => set({ requesterName: e.currentTarget.value })}
            data-testid="details-requester"
          />
          <TextInput
            label={t('desk.field.requesterContact')}
            value={draft.requesterContact}
            onChange={(e) => set({ requesterContact: e.currentTarget.value })}
            dir="auto"
            data-testid="details-contact"
          />
          <CategoryInput
            value={draft.category}
            onChange={(category) => set({ category })}
            testId="details-category"
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setEditing(null)}>
              {t('desk.details.cancel')}
            </Button>
            <Button type="submit" loading={editor.busy} data-testid="details-save">
              {t('desk.details.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
