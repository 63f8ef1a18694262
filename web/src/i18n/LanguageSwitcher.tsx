import { NativeSelect } from '@mantine/core';
import { LANGUAGES, setLanguage, useI18n, type Language } from './index';

/** Each language named in itself, so a reader finds theirs whatever is shown now. */
export function LanguageSwitcher() {
  const { t, language } = useI18n();
  return (
    <NativeSelect
      size="xs"
      aria-label={t('language.label')}
      data-testid="language"
      value={language}
      onChange={(event) => setLanguage(event.currentTarget.value as Language)}
      data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
    />
  );
}
