import { Badge, Button, Group, NativeSelect, Select, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { ASSIGNMENT_STRATEGIES } from '@branchwatch/api';
import type { GroupAssignment, SupportGroup } from '../api/adminApi';
import { FormDialog } from '../common/FormDialog';
import { FormError, useFormAction } from '../common/forms';
import { useAdminApi, useLoad, useLoadAll } from '../common/useLoad';
import { useI18n } from '../i18n';
import {
  AdminSection,
  AdminTable,
  Field,
  FormCard,
  RowButton,
  useEditAndDelete,
  useSaveAndClose,
  type EditDialogProps,
  useDraft,
} from './crud';
import { TenantSelect, tenantColumn, useTenantChoice, useTenantScope } from './tenantScope';

const startLoads = (api: ReturnType<typeof useAdminApi>) => ({
  groups: api.supportGroups(),
  people: api.assignees(),
});

/**
 * Support groups: the teams a ticket goes to (its Group), their members, and how a new ticket
 * of the group finds its person (docs/tickets.md "Groups").
 */
export function SupportGroupsAdmin() {
  const { t } = useI18n();
  const api = useAdminApi();
  const tenants = useTenantScope();
  const state = useLoadAll(api, startLoads);
  const [members, setMembers] = useState<SupportGroup | null>(null);
  const rows = useEditAndDelete<SupportGroup>({
    testId: 'group',
    deleteTitle: (name) => t('admin.groups.delete', { name }),
    deleteHelp: t('admin.groups.deleteHelp'),
    remove: (group) => api.deleteSupportGroup(group.id),
    onChanged: state.reload,
  });
  const groups = state.data?.groups ?? [];
  const assignmentOf = (g: SupportGroup) => t(`admin.groups.assignment.${g.assignment}`);

  const actions = (group: SupportGroup) => (
    <>
      <RowButton onClick={() => setMembers(group)} testId="group-members">
        {t('admin.groups.members')}
      </RowButton>
      {rows.buttons(group)}
    </>
  );
  return (
    <AdminSection title={t('admin.groups.title')} help={t('admin.groups.help')} state={state}>
      <NewGroup tenants={tenants} onCreated={state.reload} />
      <AdminTable
        empty={t('admin.groups.none')}
        testId="group-table"
        rowTestId="group-row"
        rows={groups}
        rowKey={(g) => g.id}
        columns={[
          { label: t('admin.name'), cell: (g) => <bdi>{g.name}</bdi> },
          { label: t('admin.groups.assignment'), cell: assignmentOf },
          ...tenantColumn<SupportGroup>(tenants, t('admin.tenant'), t('admin.everyTenant')),
        ]}
        actions={actions}
      />
      {rows.editing && (
        <EditGroup
          key={rows.editing.id}
          group={rows.editing}
          onClose={rows.stopEditing}
          onSaved={state.reload}
        />
      )}
      {members && (
        <GroupMembers
          key={members.id}
          group={members}
          people={state.data?.people ?? []}
          onClose={() => setMembers(null)}
        />
      )}
      {rows.deleteDialog}
    </AdminSection>
  );
}

function AssignmentSelect(props: {
  value: GroupAssignment;
  onChange: (v: GroupAssignment) => void;
}) {
  const { t } = useI18n();
  return (
    <NativeSelect
      label={t('admin.groups.assignment')}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value as GroupAssignment)}
      data={ASSIGNMENT_STRATEGIES.map((a) => ({
        value: a,
        label: t(`admin.groups.assignment.${a}`),
      }))}
      data-testid="group-assignment"
    />
  );
}

function NewGroup({
  tenants,
  onCreated,
}: {
  tenants: ReturnType<typeof useTenantScope>;
  onCreated: () => void;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const draft = useDraft({ name: '' });
  const [assignment, setAssignment] = useState<GroupAssignment>('manual');
  const tenant = useTenantChoice(tenants);
  const form = useFormAction(
    () =>
      api.createSupportGroup({
        name: draft.values.name.trim(),
        assignment,
        ...tenant.body,
      }),
    () => {
      draft.reset('name');
      onCreated();
    },
  );
  return (
    <FormCard form={form} submitLabel={t('admin.groups.create')} submitTestId="group-create">
      {draft.field(form, 'name', t('admin.name'), { required: true, testId: 'group-name' })}
      <AssignmentSelect value={assignment} onChange={setAssignment} />
      <TenantSelect
        tenants={tenants}
        value={tenant.tenantId}
        onChange={tenant.setTenantId}
        testId="group-tenant"
      />
    </FormCard>
  );
}

function EditGroup({ group, ...dialog }: EditDialogProps & { group: SupportGroup }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [name, setName] = useState(group.name);
  const [assignment, setAssignment] = useState<GroupAssignment>(group.assignment);
  const form = useSaveAndClose(
    () => api.changeSupportGroup(group.id, { name: name.trim(), assignment }),
    dialog,
  );
  return (
    <FormDialog
      title={t('admin.groups.edit', { name: group.name })}
      form={form}
      onClose={dialog.onClose}
      saveTestId="group-save"
    >
      <Field form={form} name="name" label={t('admin.name')} value={name} onChange={setName} />
      <AssignmentSelect value={assignment} onChange={setAssignment} />
    </FormDialog>
  );
}

/** Who is in the group: add one of the people who may work tickets, or take one out. */
function GroupMembers({
  group,
  people,
  onClose,
}: {
  group: SupportGroup;
  people: { id: string; username: string; tenantId: string | null }[];
  onClose: () => void;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const load = useCallback(() => api.supportGroup(group.id), [api, group.id]);
  const detail = useLoad(load);
  const [picked, setPicked] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const inGroup = new Set((detail.data?.members ?? []).map((m) => m.userId));
  // A group of one tenant takes only that tenant's people (and people of no tenant).
  const offered = people.filter(
    (p) =>
      !inGroup.has(p.id) &&
      (group.tenantId === null || p.tenantId === null || p.tenantId === group.tenantId),
  );
  const run = async (call: () => Promise<unknown>) => {
    try {
      await call();
      setProblem(null);
    } catch (error) {
      setProblem(error);
    }
    detail.reload();
  };
  const add = useFormAction(async () => {
    if (picked === null) return;
    await api.addGroupMember(group.id, picked);
    setPicked(null);
    detail.reload();
  });
  return (
    <FormDialog
      title={t('admin.groups.membersOf', { name: group.name })}
      form={add}
      onClose={onClose}
      saveLabel={t('admin.groups.addMember')}
      saveTestId="member-add"
      testId="group-members-dialog"
    >
      <Stack gap={6} data-testid="member-list">
        {detail.data?.members.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('admin.groups.noMembers')}
          </Text>
        )}
        {detail.data?.members.map((m) => (
          <Group
            key={m.userId}
            justify="space-between"
            data-testid="member"
            data-username={m.username}
          >
            <Group gap={6}>
              <Text size="sm">
                <bdi>{m.username}</bdi>
              </Text>
              {m.away && (
                <Badge size="xs" variant="light" color="gray">
                  {t('admin.groups.away')}
                </Badge>
              )}
            </Group>
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              onClick={() => void run(() => api.removeGroupMember(group.id, m.userId))}
              aria-label={t('admin.groups.removeMember', { name: m.username })}
              data-testid="member-remove"
            >
              {t('admin.remove')}
            </Button>
          </Group>
        ))}
      </Stack>
      <FormError error={problem} />
      <Select
        label={t('admin.groups.person')}
        placeholder={t('admin.groups.personHelp')}
        data={offered.map((p) => ({ value: p.id, label: p.username }))}
        value={picked}
        onChange={setPicked}
        searchable
        nothingFoundMessage={t('admin.groups.nobodyLeft')}
        data-testid="member-pick"
      />
    </FormDialog>
  );
}
