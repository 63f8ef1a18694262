import { PasswordInput } from '@mantine/core';
import type { IdentityProvider } from '../../api/identityApi';
import type { FormAction } from '../../common/forms';
import { useI18n } from '../../i18n';
import type { KindSpec, Settings } from './kinds';
import { SettingField } from './SettingField';

/** What a kind's form is given: the dialog's form, the settings and the secret being typed. */
export interface KindFormProps {
  form: FormAction;
  settings: Settings;
  onSetting: (name: string, value: string | boolean) => void;
  secret: string;
  onSecret: (secret: string) => void;
  /** The hub keeps a secret already: an empty field leaves it as it is. */
  hasSecret: boolean;
  /** The provider as saved (null: a new one): what the hub says of it. */
  provider: IdentityProvider | null;
  /** SAML: the hub's certificates were rotated; the provider as it is now. */
  onRotated?: (provider: IdentityProvider) => void;
}

/** A kind's settings in its order, then its write-only secret. */
export function KindFields({ spec, ...p }: KindFormProps & { spec: KindSpec }) {
  const { t } = useI18n();
  return (
    <>
      {spec.fields.map((f) => (
        <SettingField
          key={f.name}
          form={p.form}
          field={f}
          value={p.settings[f.name] ?? ''}
          onChange={(v) => p.onSetting(f.name, v)}
        />
      ))}
      {spec.secret && (
        <PasswordInput
          label={t(spec.secret.label)}
          description={p.hasSecret ? t('admin.sso.secretKept') : t('admin.sso.secretHelp')}
          value={p.secret}
          onChange={(e) => p.onSecret(e.currentTarget.value)}
          error={p.form.messageFor(spec.secret.field)}
          dir="ltr"
          data-testid="provider-secret"
        />
      )}
    </>
  );
}
