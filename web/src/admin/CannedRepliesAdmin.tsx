import { Text, Textarea } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { CannedReply } from '../api/adminApi';
import { FormDialog } from '../common/FormDialog';
import { useFormAction, type FormAction } from '../common/forms';
import { useAdminApi, useLoad } from '../common/useLoad';
import { useI18n } from '../i18n';
import {
  AdminSection,
  AdminTable,
  Field,
  FormCard,
  useEditAndDelete,
  useSaveAndClose,
  type EditDialogProps,
} from './crud';
import { TenantSelect, tenantColumn, useTenantChoice, useTenantScope } from './tenantScope';

/** The first words of a reply, for a list: the whole text is in its edit dialog. */
const opening = (body: string) => (body.length > 120 ? `${body.slice(0, 117).trimEnd()}…` : body);

/** Canned replies: answers given often, picked in a ticket's reply box (docs/tickets.md). */
export function CannedRepliesAdmin() {
  const { t } = useI18n();
  const api = useAdminApi();
  const tenants = useTenantScope();
  const load = useCallback(() => api.cannedReplies(), [api]);
  const replies = useLoad(load);
  const rows = useEditAndDelete<CannedReply>({
    testId: 'reply',
    deleteTitle: (name) => t('admin.replies.delete', { name }),
    deleteHelp: t('admin.replies.deleteHelp'),
    remove: (reply) => api.deleteCannedReply(reply.id),
    onChanged: replies.reload,
  });
  return (
    <AdminSection title={t('admin.replies.title')} help={t('admin.replies.help')} state={replies}>
      <NewReply tenants={tenants} onCreated={replies.reload} />
      <AdminTable
        empty={t('admin.replies.none')}
        testId="reply-table"
        rowTestId="reply-row"
        rows={replies.data ?? []}
        rowKey={(r) => r.id}
        columns={[
          { label: t('admin.replies.name'), cell: (r) => <bdi>{r.name}</bdi> },
          {
            label: t('admin.replies.body'),
            cell: (r) => (
              <Text size="sm" c="dimmed" dir="auto">
                {opening(r.body)}
              </Text>
            ),
          },
          ...tenantColumn<CannedReply>(tenants, t('admin.tenant'), t('admin.everyTenant')),
        ]}
        actions={rows.buttons}
      />
      {rows.editing && (
        <EditReply
          key={rows.editing.id}
          reply={rows.editing}
          onClose={rows.stopEditing}
          onSaved={replies.reload}
        />
      )}
      {rows.deleteDialog}
    </AdminSection>
  );
}

function BodyField({
  form,
  value,
  onChange,
}: {
  form: FormAction;
  value: string;
  onChange: (v: string) => void;
}) {
  const { t } = useI18n();
  return (
    <Textarea
      label={t('admin.replies.body')}
      description={t('admin.replies.bodyHelp')}
      required
      autosize
      minRows={3}
      maxRows={12}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={form.messageFor('body')}
      dir="auto"
      data-testid="reply-body-field"
    />
  );
}

function NewReply({
  tenants,
  onCreated,
}: {
  tenants: ReturnType<typeof useTenantScope>;
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [name, setName] = useState('');
  const [body, setBody] = useState('');
  const tenant = useTenantChoice(tenants);
  const form = useFormAction(
    () =>
      api.createCannedReply({
        name: name.trim(),
        body: body.trim(),
        ...tenant.body,
      }),
    () => {
      setName('');
      setBody('');
      onCreated();
    },
  );
  return (
    <FormCard
      form={form}
      submitLabel={t('admin.replies.create')}
      submitTestId="reply-create"
      below={<BodyField form={form} value={body} onChange={setBody} />}
    >
      <Field
        form={form}
        name="name"
        label={t('admin.replies.name')}
        value={name}
        onChange={setName}
        required
        data-testid="reply-name"
      />
      <TenantSelect
        tenants={tenants}
        value={tenant.tenantId}
        onChange={tenant.setTenantId}
        testId="reply-tenant"
      />
    </FormCard>
  );
}

function EditReply({ reply, ...dialog }: EditDialogProps & { reply: CannedReply }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [name, setName] = useState(reply.name);
  const [body, setBody] = useState(reply.body);
  const form = useSaveAndClose(
    () => api.changeCannedReply(reply.id, { name: name.trim(), body: body.trim() }),
    dialog,
  );
  return (
    <FormDialog
      title={t('admin.replies.edit', { name: reply.name })}
      form={form}
      onClose={dialog.onClose}
      size="lg"
      saveTestId="reply-save"
    >
      <Field
        form={form}
        name="name"
        label={t('admin.replies.name')}
        value={name}
        onChange={setName}
      />
      <BodyField form={form} value={body} onChange={setBody} />
    </FormDialog>
  );
}
