import { NativeSelect, Switch, TextInput, Textarea } from '@mantine/core';
import type { FormAction } from '../../common/forms';
import { useI18n, type MessageKey } from '../../i18n';
import type { SettingSpec } from './kinds';

/** One setting of a provider, labelled and explained, with the hub's refusal of it. */
export function SettingField({
  form,
  field,
  value,
  onChange,
}: {
  form: FormAction;
  field: SettingSpec;
  value: string | boolean;
  onChange: (v: string | boolean) => void;
}) {
  const { t } = useI18n();
  const label = t(`admin.sso.field.${field.name}` as MessageKey);
  const help = t(`admin.sso.field.${field.name}Help` as MessageKey);
  const hub = `settings.${field.name}`;
  const testId = `provider-setting-${field.name}`;
  if (field.kind === 'switch')
    return (
      <Switch
        label={label}
        description={help}
        checked={value === true}
        onChange={(e) => onChange(e.currentTarget.checked)}
        error={form.messageFor(hub)}
        data-testid={testId}
      />
    );
  if (field.kind === 'choice')
    return (
      <NativeSelect
        label={label}
        description={help}
        value={String(value)}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={[
          { value: 'memberOf', label: t('admin.sso.groupLookup.memberOf') },
          { value: 'member', label: t('admin.sso.groupLookup.member') },
        ]}
        data-testid={testId}
      />
    );
  if (field.kind === 'long')
    return (
      <Textarea
        label={label}
        description={help}
        value={String(value)}
        onChange={(e) => onChange(e.currentTarget.value)}
        error={form.messageFor(hub)}
        autosize
        minRows={2}
        maxRows={8}
        dir="ltr"
        styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
        data-testid={testId}
      />
    );
  return (
    <TextInput
      label={label}
      description={help}
      value={String(value)}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={form.messageFor(hub)}
      dir="ltr"
      data-testid={testId}
    />
  );
}
