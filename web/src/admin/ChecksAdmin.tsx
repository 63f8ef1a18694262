import { Anchor, Badge, Button, Group, Table, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { linkTo } from '../app/router';
import { useI18n } from '../i18n';
import type { CheckSpec, ManagedCheck } from './adminApi';
import { CheckForm } from './CheckForm';
import { FormError, LoadState, SectionHeader } from './common';
import { useAdminApi, useLoad } from './useLoad';

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
  const [removeError, setRemoveError] = useState<unknown>(null);
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
    try {
      await api.removeCheck(check.id);
      setRemoveError(null);
      if (editing?.id === check.id) setEditing(null);
      data.reload();
    } catch (cause) {
      setRemoveError(cause);
    }
  };

  const agent = data.data?.agent;
  return (
    <>
      <Anchor size="sm" {...linkTo('/admin/agents')}>
        {t('admin.checks.back')}
      </Anchor>
      <SectionHeader
        title={t('admin.checks.title', { agent: agent?.slug ?? t('common.none') })}
        help={t('admin.checks.help')}
      />
      <LoadState error={data.error} loading={data.data === null}>
        <CheckForm
          key={`${editing?.id ?? 'new'}-${formRound}`}
          editing={editing}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
        <FormError error={removeError} />
        {(data.data?.checks ?? []).length === 0 ? (
          <Text c="dimmed">{t('admin.checks.none')}</Text>
        ) : (
          <Table data-testid="managed-checks" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.checks.key')}</Table.Th>
                <Table.Th>{t('check.type')}</Table.Th>
                <Table.Th>{t('check.target')}</Table.Th>
                <Table.Th>{t('admin.checks.interval')}</Table.Th>
                <Table.Th>{t('admin.checks.managed')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(data.data?.checks ?? []).map((c) => (
                <Table.Tr key={c.id} data-testid="managed-check-row" data-key={c.key}>
                  <Table.Td dir="ltr">{c.key}</Table.Td>
                  <Table.Td dir="ltr">{c.type}</Table.Td>
                  <Table.Td dir="ltr">{c.target}</Table.Td>
                  <Table.Td>
                    {c.intervalSeconds
                      ? t('admin.seconds', { n: c.intervalSeconds })
                      : t('common.none')}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={c.managed ? 'blue' : 'gray'}>
                      {c.managed ? t('admin.checks.managedYes') : t('admin.checks.managedNo')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {c.managed && (
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          onClick={() => setEditing(c)}
                          data-testid="check-edit"
                        >
                          {t('admin.edit')}
                        </Button>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          onClick={() => void remove(c)}
                          data-testid="check-remove"
                        >
                          {t('admin.remove')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </LoadState>
    </>
  );
}
