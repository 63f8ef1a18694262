import { Button, Group, Select, SimpleGrid, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { TICKET_PRIORITIES } from '@branchwatch/api';
import { useApi } from '../api/ApiContext';
import type { NewTicket, TicketPriority } from '../api/types';
import { navigate } from '../app/router';
import { FormDialog } from '../common/FormDialog';
import { useFormAction } from '../common/forms';
import { useI18n } from '../i18n';
import { Suggestions } from '../knowledge/Suggestions';
import { CategoryInput } from './CategoryInput';
import type { Directory } from './useDirectory';

interface Draft {
  branchId: string;
  requesterName: string;
  requesterContact: string;
  subject: string;
  body: string;
  category: string;
  priority: TicketPriority;
  groupId: string;
  assigneeId: string;
}

const text = (value: string) => (value.trim() === '' ? null : value.trim());

/** The draft as the hub takes it (POST /tickets): empty fields left to the hub's defaults. */
export function newTicketBody(draft: Draft): NewTicket {
  return {
    subject: draft.subject.trim(),
    body: draft.body.trim(),
    priority: draft.priority,
    category: text(draft.category),
    branchId: text(draft.branchId),
    groupId: text(draft.groupId),
    assigneeId: text(draft.assigneeId),
    requesterName: text(draft.requesterName),
    requesterContact: text(draft.requesterContact),
  };
}

/**
 * A ticket a person opens: a phone call or a visit written down (docs/tickets.md). From the
 * queue, or from a branch's page with that branch already chosen. Saving opens the new
 * ticket's page.
 */
export function NewTicketDialog({
  directory,
  branchId,
  onClose,
}: {
  directory: Directory;
  branchId?: string;
  onClose: () => void;
}) {
  const api = useApi();
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>({
    branchId: branchId ?? '',
    requesterName: '',
    requesterContact: '',
    subject: '',
    body: '',
    category: '',
    priority: 'normal',
    groupId: '',
    assigneeId: '',
  });
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const form = useFormAction(async () => {
    const ticket = await api.openTicket(newTicketBody(draft));
    navigate(`/tickets/${ticket.id}`);
  });
  const me = directory.me;
  const canTakeIt = me !== null && directory.people.some((p) => p.id === me.id);

  return (
    <FormDialog
      title={t('desk.new.title')}
      form={form}
      onClose={onClose}
      size="lg"
      testId="new-ticket"
      saveLabel={t('desk.new.create')}
      saveTestId="new-ticket-save"
    >
      <Select
        label={t('desk.field.branch')}
        data={directory.branches.map((b) => ({ value: b.id, label: b.name }))}
        value={draft.branchId || null}
        onChange={(v) => set({ branchId: v ?? '' })}
        placeholder={t('desk.new.noBranch')}
        searchable
        clearable
        error={form.messageFor('branchId')}
        data-testid="new-ticket-branch"
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="sm">
        <TextInput
          label={t('desk.field.requester')}
          description={t('desk.new.requesterHelp')}
          value={draft.requesterName}
          onChange={(e) => set({ requesterName: e.currentTarget.value })}
          error={form.messageFor('requesterName')}
          data-testid="new-ticket-requester"
        />
        <TextInput
          label={t('desk.field.requesterContact')}
          value={draft.requesterContact}
          onChange={(e) => set({ requesterContact: e.currentTarget.value })}
          error={form.messageFor('requesterContact')}
          dir="auto"
          data-testid="new-ticket-contact"
        />
      </SimpleGrid>
      <TextInput
        label={t('desk.field.subject')}
        description={t('desk.new.subjectHelp')}
        required
        value={draft.subject}
        dir="auto"
        onChange={(e) => set({ subject: e.currentTarget.value })}
        error={form.messageFor('subject')}
        data-testid="new-ticket-subject"
      />
      {/* What the knowledge base already answers: read it to the caller instead (a deflection). */}
      <Suggestions subject={draft.subject} onSolved={onClose} />
      <Textarea
        label={t('desk.new.body')}
        description={t('desk.new.bodyHelp')}
        required
        autosize
        minRows={3}
        maxRows={10}
        value={draft.body}
        dir="auto"
        onChange={(e) => set({ body: e.currentTarget.value })}
        error={form.messageFor('body')}
        data-testid="new-ticket-body"
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="sm">
        <CategoryInput
          value={draft.category}
          onChange={(category) => set({ category })}
          error={form.messageFor('category')}
          testId="new-ticket-category"
        />
        <Select
          label={t('desk.field.priority')}
          data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          value={draft.priority}
          allowDeselect={false}
          onChange={(v) => set({ priority: (v ?? 'normal') as TicketPriority })}
          data-testid="new-ticket-priority"
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" verticalSpacing="sm">
        <Select
          label={t('desk.field.group')}
          data={directory.groups.map((g) => ({ value: g.id, label: g.name }))}
          value={draft.groupId || null}
          onChange={(v) => set({ groupId: v ?? '' })}
          placeholder={t('desk.ticket.noGroup')}
          clearable
          searchable
          error={form.messageFor('groupId')}
          data-testid="new-ticket-group"
        />
        <Select
          label={t('desk.field.assignee')}
          data={directory.people.map((p) => ({ value: p.id, label: p.username }))}
          value={draft.assigneeId || null}
          onChange={(v) => set({ assigneeId: v ?? '' })}
          placeholder={draft.groupId ? t('desk.new.groupPicks') : t('desk.ticket.nobody')}
          clearable
          searchable
          error={form.messageFor('assigneeId')}
          data-testid="new-ticket-assignee"
        />
      </SimpleGrid>
      {canTakeIt && (
        <Group justify="flex-end">
          <Button
            variant="light"
            size="compact-sm"
            disabled={draft.assigneeId === me.id}
            onClick={() => set({ assigneeId: me.id })}
            data-testid="new-ticket-assign-me"
          >
            {t('desk.ticket.assignMe')}
          </Button>
        </Group>
      )}
    </FormDialog>
  );
}

/** The "New ticket" button and its dialog; on a branch's page, for that branch. */
export function NewTicketButton({
  directory,
  branchId,
  size,
}: {
  directory: Directory;
  branchId?: string;
  size?: 'xs' | 'sm';
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size={size} onClick={() => setOpen(true)} data-testid="new-ticket-open">
        {t('desk.new.button')}
      </Button>
      {open && (
        <NewTicketDialog directory={directory} branchId={branchId} onClose={() => setOpen(false)} />
      )}
    </>
  );
}
