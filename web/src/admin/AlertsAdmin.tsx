import {
  Button,
  Card,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Table,
  TextInput,
} from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import type { AlertRule, Threshold } from './adminApi';
import { CHECK_TYPES } from './checkSchema';
import { FormError, LoadState, SectionHeader } from './common';
import { errorField, useAdminApi, useLoad } from './useLoad';

const OPS: Threshold['op'][] = ['>', '>=', '<', '<='];

/** Alert rules per branch and check type: thresholds on result fields and the rounds to fail. */
export function AlertsAdmin() {
  const { t } = useI18n();
  const api = useAdminApi();
  const load = useCallback(async () => {
    const [rules, branches] = await Promise.all([api.alertRules(), api.branches()]);
    return { rules, branches };
  }, [api]);
  const data = useLoad(load);
  const scopeName = (rule: AlertRule) =>
    data.data?.branches.find((b) => b.id === rule.scopeId)?.name ?? rule.scopeId;
  const thresholds = (rule: AlertRule) =>
    rule.thresholds.map((th) => `${th.field} ${th.op} ${th.value}`).join(t('admin.listSeparator'));
  return (
    <>
      <SectionHeader title={t('admin.alerts.title')} help={t('admin.alerts.help')} />
      <LoadState error={data.error} loading={data.data === null}>
        <NewRule branches={data.data?.branches ?? []} onSaved={data.reload} />
        <Table verticalSpacing="xs" data-testid="rule-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.alerts.scope')}</Table.Th>
              <Table.Th>{t('check.type')}</Table.Th>
              <Table.Th>{t('admin.alerts.thresholds')}</Table.Th>
              <Table.Th>{t('admin.alerts.failRounds')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data.data?.rules ?? []).map((rule) => (
              <Table.Tr
                key={`${rule.scope}/${rule.scopeId}/${rule.checkType}`}
                data-testid="rule-row"
              >
                <Table.Td>{scopeName(rule)}</Table.Td>
                <Table.Td dir="ltr">
                  {rule.checkType === '*' ? t('admin.alerts.anyType') : rule.checkType}
                </Table.Td>
                <Table.Td dir="ltr">{thresholds(rule) || t('common.none')}</Table.Td>
                <Table.Td>{rule.failRounds ?? t('common.none')}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => void api.deleteAlertRule(rule).then(data.reload, data.reload)}
                  >
                    {t('admin.remove')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </LoadState>
    </>
  );
}

function NewRule({
  branches,
  onSaved,
}: {
  branches: { id: string; name: string }[];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [branchId, setBranchId] = useState('');
  const [checkType, setCheckType] = useState('*');
  const [fieldName, setFieldName] = useState('loss');
  const [op, setOp] = useState<Threshold['op']>('>');
  const [value, setValue] = useState<number | string>(10);
  const [failRounds, setFailRounds] = useState<number | string>('');
  const [error, setError] = useState<unknown>(null);
  const field = errorField(error);
  const branch = branchId || branches[0]?.id || '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api.putAlertRule({
        scope: 'branch',
        scopeId: branch,
        checkType,
        thresholds: typeof value === 'number' ? [{ field: fieldName, op, value }] : [],
        failRounds: typeof failRounds === 'number' ? failRounds : null,
      });
      setError(null);
      onSaved();
    } catch (cause) {
      setError(cause);
    }
  };
  if (branches.length === 0) return null;
  return (
    <Card withBorder component="form" onSubmit={(e) => void submit(e)}>
      <Stack gap="xs">
        <Group align="flex-end">
          <NativeSelect
            label={t('admin.agents.branch')}
            value={branch}
            onChange={(e) => setBranchId(e.currentTarget.value)}
            data={branches.map((b) => ({ value: b.id, label: b.name }))}
          />
          <NativeSelect
            label={t('check.type')}
            value={checkType}
            onChange={(e) => setCheckType(e.currentTarget.value)}
            data={[{ value: '*', label: t('admin.alerts.anyType') }, ...CHECK_TYPES]}
          />
          <TextInput
            label={t('admin.alerts.field')}
            dir="ltr"
            w={110}
            value={fieldName}
            onChange={(e) => setFieldName(e.currentTarget.value)}
            error={field?.startsWith('thresholds') || undefined}
          />
          <NativeSelect
            label={t('admin.alerts.op')}
            value={op}
            onChange={(e) => setOp(e.currentTarget.value as Threshold['op'])}
            data={OPS}
            dir="ltr"
          />
          <NumberInput label={t('admin.alerts.value')} w={100} value={value} onChange={setValue} />
          <NumberInput
            label={t('admin.alerts.failRounds')}
            w={120}
            min={1}
            value={failRounds}
            onChange={setFailRounds}
            error={field === 'failRounds' || undefined}
          />
          <Button type="submit">{t('admin.save')}</Button>
        </Group>
        <FormError error={error} />
      </Stack>
    </Card>
  );
}
