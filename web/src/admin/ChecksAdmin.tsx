import { Alert, Anchor, Badge, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { linkTo } from '../app/router';
import { useI18n } from '../i18n';
import type { CheckSpec, ManagedCheck } from '../api/adminApi';
import { useApi } from '../api/ApiContext';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { checkTypeLabel } from '../format/checkType';
import { CheckForm } from './CheckForm';
import { AdminSection, AdminTable, RowButton } from './crud';
import { useAdminApi, useLoad } from '../common/useLoad';

const runColor = { running: 'green', pending: 'yellow', refused: 'red', unknown: 'gray' } as const;

/**
 * The checks of one agent, as the agent runs them: those of its own file and those the hub
 * manages (added, changed and removed here), with what the agent says of each.
 */
export function ChecksAdmin({ agentId }: { agentId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const api = useAdminApi();
  const client = useApi();
  const load = useCallback(async () => {
    const [agents, checks, types] = await Promise.all([
      api.agents(),
      api.checks(),
      client.checkTypes(),
    ]);
    return {
      agent: agents.find((a) => a.id === agentId) ?? null,
      checks: checks.filter((c) => c.agentId === agentId),
      types,
    };
  }, [api, client, agentId]);
  const data = useLoad(load);
  const [editing, setEditing] = useState<ManagedCheck | null>(null);
  const [removing, setRemoving] = useState<ManagedCheck | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Bumped after a save, so the form starts empty again.
  const [formRound, setFormRound] = useState(0);

  const checks = data.data?.checks ?? [];
  const save = async (spec: CheckSpec) => {
    if (editing) {
      const { key: _key, ...change } = spec;
      await api.changeCheck(editing.id, change);
      setEditing(null);
    } else {
      await api.addCheck(agentId, spec);
    }
    setNotice(t('admin.checks.added', { key: spec.key }));
    setFormRound((r) => r + 1);
    data.reload();
  };
  const remove = async (check: ManagedCheck) => {
    await api.removeCheck(check.id);
    if (editing?.id === check.id) setEditing(null);
    setNotice(
      t(check.replacesFile ? 'admin.checks.removedToFile' : 'admin.checks.removed', {
        key: check.key,
      }),
    );
    data.reload();
  };
  const refused = checks.filter((c) => c.agentRuns === 'refused');
  const defaultInterval =
    data.data?.agent?.config.defaults?.intervalSeconds ??
    data.data?.types.defaults.intervalSeconds ??
    60;

  const agent = data.data?.agent;
  return (
    <>
      <Anchor size="sm" {...linkTo('/admin/agents')}>
        {t('admin.checks.back')}
      </Anchor>
      <AdminSection
        title={t('admin.checks.title', { agent: agent?.name ?? t('common.none') })}
        help={t('admin.checks.help')}
        state={data}
      >
        <Stack gap="sm">
          {notice && (
            <Alert color="green" role="status" withCloseButton onClose={() => setNotice(null)}>
              {notice}
            </Alert>
          )}
          {refused.length > 0 && (
            <Alert color="red" role="alert" data-testid="checks-refused">
              {t('admin.checks.refusedSome', { n: refused.length })}
            </Alert>
          )}
          {data.data && (
            <CheckForm
              key={`${editing?.id ?? 'new'}-${formRound}`}
              editing={editing}
              types={data.data.types}
              fileKeys={checks.filter((c) => c.source === 'file').map((c) => c.key)}
              defaults={agent?.config.defaults ?? data.data.types.defaults}
              onSave={save}
              onCancel={() => setEditing(null)}
            />
          )}
        </Stack>
        {checks.length === 0 ? (
          <Text c="dimmed">{t('admin.checks.none')}</Text>
        ) : (
          <AdminTable
            testId="managed-checks"
            rowTestId="managed-check-row"
            rows={checks}
            rowKey={(c) => c.id}
            rowAttributes={(c) => ({ 'data-key': c.key, 'data-runs': c.agentRuns })}
            columns={[
              { label: t('admin.checks.name'), ltr: true, cell: (c) => c.key },
              { label: t('check.type'), cell: (c) => checkTypeLabel(c.type, i18n) },
              { label: t('check.target'), ltr: true, cell: (c) => c.target },
              {
                label: t('admin.checks.intervalLabel'),
                cell: (c) =>
                  c.source === 'hub' && c.intervalSeconds === null
                    ? t('admin.checks.intervalDefault', { n: defaultInterval })
                    : t('admin.seconds', { n: c.effectiveIntervalSeconds }),
              },
              {
                label: t('admin.checks.source'),
                cell: (c) => (
                  <Badge variant="light" color={c.source === 'hub' ? 'blue' : 'gray'}>
                    {c.source === 'file'
                      ? t('admin.checks.sourceFile')
                      : c.replacesFile
                        ? t('admin.checks.sourceReplaces')
                        : t('admin.checks.sourceHub')}
                  </Badge>
                ),
              },
              {
                label: t('admin.checks.onAgent'),
                cell: (c) => (
                  <Stack gap={2}>
                    <Badge variant="light" color={runColor[c.agentRuns]} data-testid="check-runs">
                      {t(`admin.checks.runs.${c.agentRuns}`)}
                    </Badge>
                    {c.refusal && (
                      <Text size="xs" c="red" dir="ltr" data-testid="check-refusal">
                        {c.refusal}
                      </Text>
                    )}
                  </Stack>
                ),
              },
            ]}
            // Only hub checks are the hub's to change; the others are changed in the agent's file.
            actions={(c) =>
              c.managed ? (
                <RowButton onClick={() => setEditing(c)} testId="check-edit">
                  {t('admin.edit')}
                </RowButton>
              ) : null
            }
            onRemove={async (c) => setRemoving(c)}
            canRemove={(c) => c.managed === true}
            onChanged={() => undefined}
          />
        )}
        {checks.some((c) => c.source === 'file') && (
          <Text size="xs" c="dimmed">
            {t('admin.checks.fileOnly')}
          </Text>
        )}
      </AdminSection>
      <ConfirmDialog
        opened={removing !== null}
        title={t('admin.checks.removeTitle', { key: removing?.key ?? '' })}
        confirmLabel={t('admin.checks.removeConfirm')}
        onConfirm={() => remove(removing!)}
        onClose={() => setRemoving(null)}
        testId="check-remove-dialog"
      >
        {removing?.replacesFile
          ? t('admin.checks.removeBodyFile', { key: removing.key })
          : t('admin.checks.removeBody')}
      </ConfirmDialog>
    </>
  );
}
