import { NativeSelect, NumberInput, Text } from '@mantine/core';
import { useState } from 'react';
import { useI18n, type MessageKey } from '../i18n';
import type { AdminApi, AlertDefaults, AlertRule, Threshold } from '../api/adminApi';
import { CHECK_TYPES, FIELD_UNITS, fieldLabel, thresholdFieldsOf } from '@branchwatch/api';
import { AdminSection, AdminTable, BranchSelect, FormCard, type Named } from './crud';
import { useAdminApi, useLoadAll } from '../common/useLoad';
import { fieldRefusal, useFormAction } from '../common/forms';

const OPS: Threshold['op'][] = ['>', '>=', '<', '<='];

/** A measured field's unit in the reader's language ('' for a bare number). */
function useUnit() {
  const { t } = useI18n();
  return (field: string) => {
    const unit = FIELD_UNITS[field];
    if (!unit) return '';
    if (unit === '%') return '%';
    return t(`unit.${unit}` as MessageKey);
  };
}

/** Alert rules per branch and check type: thresholds on result fields and the rounds to fail. */
export function AlertsAdmin() {
  const { t, language } = useI18n();
  const unitOf = useUnit();
  const api = useAdminApi();
  const data = useLoadAll(api, rulesAndBranches);
  const scopeName = (rule: AlertRule) =>
    data.data?.branches.find((b) => b.id === rule.scopeId)?.name ?? rule.scopeId;
  const threshold = (th: Threshold) =>
    `${fieldLabel(th.field, language)} ${th.op} ${th.value} ${unitOf(th.field)}`.trim();
  const typeName = (type: string) => (type === '*' ? t('admin.alerts.anyType') : type);
  const defaults = data.data?.defaults;
  return (
    <AdminSection title={t('admin.alerts.title')} help={t('admin.alerts.help')} state={data}>
      {defaults && (
        <Text size="sm" c="dimmed" data-testid="alert-defaults">
          {t('admin.alerts.defaults', {
            fail: defaults.hysteresis.failRounds,
            recover: defaults.hysteresis.recoverRounds,
          })}
        </Text>
      )}
      <NewRule
        branches={data.data?.branches ?? []}
        defaults={defaults ?? null}
        onSaved={data.reload}
      />
      <AdminTable
        testId="rule-table"
        rowTestId="rule-row"
        rows={data.data?.rules ?? []}
        rowKey={(rule) => `${rule.scope}/${rule.scopeId}/${rule.checkType}`}
        columns={[
          { label: t('admin.alerts.scope'), cell: scopeName },
          { label: t('check.type'), cell: (rule) => <bdi>{typeName(rule.checkType)}</bdi> },
          {
            label: t('admin.alerts.thresholds'),
            cell: (rule) =>
              rule.thresholds.length === 0
                ? t('common.none')
                : rule.thresholds.map((th, i) => (
                    <div key={i}>
                      <bdi>{threshold(th)}</bdi>
                    </div>
                  )),
          },
          {
            label: t('admin.alerts.failRounds'),
            cell: (rule) =>
              rule.failRounds ??
              t('admin.alerts.default', { value: defaults?.hysteresis.failRounds ?? '' }),
          },
        ]}
        onRemove={(rule) => api.deleteAlertRule(rule)}
        onChanged={data.reload}
      />
    </AdminSection>
  );
}

const rulesAndBranches = (api: AdminApi) => ({
  rules: api.alertRules(),
  branches: api.branches(),
  defaults: api.alertDefaults(),
});

function NewRule({
  branches,
  defaults,
  onSaved,
}: {
  branches: Named[];
  defaults: AlertDefaults | null;
  onSaved: () => void;
}) {
  const { t, language } = useI18n();
  const unitOf = useUnit();
  const api = useAdminApi();
  const [branchId, setBranchId] = useState('');
  const [checkType, setCheckType] = useState('*');
  const fields = thresholdFieldsOf(checkType);
  const [chosenField, setField] = useState('loss');
  // A field the chosen type does not measure gives way to the type's first.
  const field = fields.includes(chosenField) ? chosenField : fields[0]!;
  const [op, setOp] = useState<Threshold['op']>('>');
  const [value, setValue] = useState<number | string>('');
  const [failRounds, setFailRounds] = useState<number | string>('');
  const label = fieldLabel(field, language);
  const form = useFormAction(async () => {
    if (typeof value !== 'number')
      throw fieldRefusal('value', t('admin.alerts.valueMissing', { field: label }));
    await api.putAlertRule({
      scope: 'branch',
      scopeId: branchId || branches[0]?.id || '',
      checkType,
      thresholds: [{ field, op, value }],
      failRounds: typeof failRounds === 'number' ? failRounds : null,
    });
  }, onSaved);
  if (branches.length === 0) return null;
  const typeDefault = defaults?.thresholds[checkType]?.find((th) => th.field === field);
  const unit = unitOf(field);
  return (
    <FormCard form={form} submitLabel={t('admin.save')} testId="rule-form">
      <BranchSelect branches={branches} value={branchId} onChange={setBranchId} />
      <NativeSelect
        label={t('check.type')}
        value={checkType}
        onChange={(e) => setCheckType(e.currentTarget.value)}
        data={[{ value: '*', label: t('admin.alerts.anyType') }, ...CHECK_TYPES]}
        data-testid="rule-type"
      />
      <NativeSelect
        label={t('admin.alerts.field')}
        value={field}
        onChange={(e) => setField(e.currentTarget.value)}
        data={fields.map((f) => ({
          value: f,
          label: unitOf(f) ? `${fieldLabel(f, language)} (${unitOf(f)})` : fieldLabel(f, language),
        }))}
        error={form.messageFor('thresholds')}
        data-testid="rule-field"
      />
      <NativeSelect
        label={t('admin.alerts.op')}
        value={op}
        onChange={(e) => setOp(e.currentTarget.value as Threshold['op'])}
        data={OPS}
        dir="ltr"
      />
      <NumberInput
        label={t('admin.alerts.value')}
        w={150}
        value={value}
        onChange={setValue}
        rightSection={unit ? <Text size="xs">{unit}</Text> : undefined}
        rightSectionWidth={unit.length > 2 ? 72 : 36}
        description={
          typeDefault
            ? t('admin.alerts.default', { value: `${typeDefault.op} ${typeDefault.value}` })
            : undefined
        }
        error={form.messageFor('value')}
        data-testid="rule-value"
      />
      <NumberInput
        label={t('admin.alerts.failRounds')}
        w={150}
        min={1}
        value={failRounds}
        onChange={setFailRounds}
        placeholder={
          defaults
            ? t('admin.alerts.default', { value: defaults.hysteresis.failRounds })
            : undefined
        }
        error={form.messageFor('failRounds')}
      />
    </FormCard>
  );
}
