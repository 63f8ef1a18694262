import { NativeSelect, NumberInput } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n';
import type { AdminApi, AlertRule, Threshold } from '../api/adminApi';
import { CHECK_TYPES } from '@branchwatch/api';
import { AdminSection, AdminTable, BranchSelect, FormCard, useDraft, type Named } from './crud';
import { useAdminApi, useLoadAll } from '../common/useLoad';
import { useFormAction } from '../common/forms';

const OPS: Threshold['op'][] = ['>', '>=', '<', '<='];

/** Alert rules per branch and check type: thresholds on result fields and the rounds to fail. */
export function AlertsAdmin() {
  const { t } = useI18n();
  const api = useAdminApi();
  const data = useLoadAll(api, rulesAndBranches);
  const scopeName = (rule: AlertRule) =>
    data.data?.branches.find((b) => b.id === rule.scopeId)?.name ?? rule.scopeId;
  const thresholds = (rule: AlertRule) =>
    rule.thresholds.map((th) => `${th.field} ${th.op} ${th.value}`).join(t('admin.listSeparator'));
  return (
    <AdminSection title={t('admin.alerts.title')} help={t('admin.alerts.help')} state={data}>
      <NewRule branches={data.data?.branches ?? []} onSaved={data.reload} />
      <AdminTable
        testId="rule-table"
        rowTestId="rule-row"
        rows={data.data?.rules ?? []}
        rowKey={(rule) => `${rule.scope}/${rule.scopeId}/${rule.checkType}`}
        columns={[
          { label: t('admin.alerts.scope'), cell: scopeName },
          {
            label: t('check.type'),
            ltr: true,
            cell: (rule) => (rule.checkType === '*' ? t('admin.alerts.anyType') : rule.checkType),
          },
          {
            label: t('admin.alerts.thresholds'),
            ltr: true,
            cell: (rule) => thresholds(rule) || t('common.none'),
          },
          {
            label: t('admin.alerts.failRounds'),
            cell: (rule) => rule.failRounds ?? t('common.none'),
          },
        ]}
        onRemove={(rule) => api.deleteAlertRule(rule)}
        onChanged={data.reload}
      />
    </AdminSection>
  );
}

const rulesAndBranches = (api: AdminApi) => ({ rules: api.alertRules(), branches: api.branches() });

function NewRule({ branches, onSaved }: { branches: Named[]; onSaved: () => void }) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [branchId, setBranchId] = useState('');
  const [checkType, setCheckType] = useState('*');
  const draft = useDraft({ field: 'loss' });
  const fieldName = draft.values.field;
  const [op, setOp] = useState<Threshold['op']>('>');
  const [value, setValue] = useState<number | string>(10);
  const [failRounds, setFailRounds] = useState<number | string>('');
  const form = useFormAction(
    () =>
      api.putAlertRule({
        scope: 'branch',
        scopeId: branchId || branches[0]?.id || '',
        checkType,
        thresholds: typeof value === 'number' ? [{ field: fieldName, op, value }] : [],
        failRounds: typeof failRounds === 'number' ? failRounds : null,
      }),
    onSaved,
  );
  if (branches.length === 0) return null;
  return (
    <FormCard form={form} submitLabel={t('admin.save')}>
      <BranchSelect branches={branches} value={branchId} onChange={setBranchId} />
      <NativeSelect
        label={t('check.type')}
        value={checkType}
        onChange={(e) => setCheckType(e.currentTarget.value)}
        data={[{ value: '*', label: t('admin.alerts.anyType') }, ...CHECK_TYPES]}
      />
      {draft.field(form, 'field', t('admin.alerts.field'), {
        ltr: true,
        w: 110,
        hubName: 'thresholds',
      })}
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
        error={form.messageFor('failRounds')}
      />
    </FormCard>
  );
}
