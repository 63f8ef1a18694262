import { Group, NativeSelect } from '@mantine/core';
import { useState } from 'react';
import { useNotifyApi } from '../common/useLoad';
import { describeError } from '../common/describeError';
import { SettingsButton } from '../profile/SettingsDrawer';
import { LANGUAGES, useI18n, type Language } from './index';
import { chooseLanguage, useStoredLanguage } from './LanguageSync';

/**
 * Each language named in itself, so a reader finds theirs whatever is shown now. The choice is
 * stored on the hub; beside it, the user's own settings.
 */
export function LanguageSwitcher() {
  const i18n = useI18n();
  const { t, language } = i18n;
  const api = useNotifyApi();
  const [error, setError] = useState<unknown>(null);
  useStoredLanguage();
  const choose = (next: Language) => {
    setError(null);
    chooseLanguage(api, next).catch(setError);
  };
  return (
    // Never narrower than its words: in a full header the person's name gives way instead.
    <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
      <NativeSelect
        size="xs"
        style={{ flexShrink: 0 }}
        aria-label={t('language.label')}
        data-testid="language"
        value={language}
        onChange={(event) => choose(event.currentTarget.value as Language)}
        data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
        error={error ? true : undefined}
        title={error ? describeError(error, i18n) : undefined}
      />
      <SettingsButton />
    </Group>
  );
}
