import { Anchor, Badge, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { linkTo } from '../app/router';
import { useI18n } from '../i18n';
import type { CheckSpec, ManagedCheck } from '../api/adminApi';
import { CheckForm } from './CheckForm';
import { AdminSection, AdminTable, RowButton } from './crud';
import { useAdminApi, useLoad } from '../common/useLoad';

/** The checks of one agent; managed ones can be added, changed and removed here. */
export function ChecksAdmin({ agentId }: { agentId: string }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const load = useCallback(async () => {
    const [agents, checks] = await Promise.all([api.agents(), api.checks()]);
    return {
      agent: agents.find((a) => a.id === agentId) ?? null,
      checks: checks.filter((c) => c.agentId === agentId),
    };
  }, [api, agentId]);
  const data = useLoad(load);
  const [editing, setEditing] = useState<ManagedCheck | null>(null);
  // Bumped after a save, so the form starts empty again.
  const [formRound, setFormRound] = useState(0);

  const save = async (spec: CheckSpec) => {
    if (editing) {
      const { key: _key, ...change } = spec;
      await api.changeCheck(editing.id, change);
      setEditing(null);
    } else {
      await api.addCheck(agentId, spec);
    }
    setFormRound((r) => r + 1);
    data.reload();
  };
  const remove = async (check: ManagedCheck) => {
    await api.removeCheck(check.id);
    if (editing?.id === check.id) setEditing(null);
  };

  const agent = data.data?.agent;
  return (
    <>
      <Anchor size="sm" {...linkTo('/admin/agents')}>
        {t('admin.checks.back')}
      </Anchor>
      <AdminSection
        title={t('admin.checks.title', { agent: agent?.slug ?? t('common.none') })}
        help={t('admin.checks.help')}
        state={data}
      >
        <CheckForm
          key={`${editing?.id ?? 'new'}-${formRound}`}
          editing={editing}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
        {(data.data?.checks ?? []).length === 0 ? (
          <Text c="dimmed">{t('admin.checks.none')}</Text>
        ) : (
          <AdminTable
            testId="managed-checks"
            rowTestId="managed-check-row"
            rows={data.data?.checks ?? []}
            rowKey={(c) => c.id}
            rowAttributes={(c) => ({ 'data-key': c.key })}
            columns={[
              { label: t('admin.checks.key'), ltr: true, cell: (c) => c.key },
              { label: t('check.type'), ltr: true, cell: (c) => c.type },
              { label: t('check.target'), ltr: true, cell: (c) => c.target },
              {
                label: t('admin.checks.interval'),
                cell: (c) =>
                  c.intervalSeconds
                    ? t('admin.seconds', { n: c.intervalSeconds })
                    : t('common.none'),
              },
              {
                label: t('admin.checks.managed'),
                cell: (c) => (
                  <Badge variant="light" color={c.managed ? 'blue' : 'gray'}>
                    {c.managed ? t('admin.checks.managedYes') : t('admin.checks.managedNo')}
                  </Badge>
                ),
              },
            ]}
            // Only managed checks are the hub's to change; the others come from the agent's file.
            actions={(c) =>
              c.managed && (
                <RowButton onClick={() => setEditing(c)} testId="check-edit">
                  {t('admin.edit')}
                </RowButton>
              )
            }
            canRemove={(c) => c.managed === true}
            onRemove={remove}
            onChanged={data.reload}
          />
        )}
      </AdminSection>
    </>
  );
}
