import { ActionIcon, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useI18n } from '../i18n';
import { MoonIcon, SunIcon } from './icons';

/** Light/dark switch; Mantine remembers the choice in localStorage. */
export function ColorSchemeToggle() {
  const { t } = useI18n();
  const { setColorScheme } = useMantineColorScheme();
  // Resolves 'auto' to what the system currently shows, so the button offers the other one.
  const current = useComputedColorScheme('light', { getInitialValueInEffect: false });
  const next = current === 'dark' ? 'light' : 'dark';
  const label = next === 'dark' ? t('header.toDark') : t('header.toLight');

  return (
    <ActionIcon
      variant="default"
      size="lg"
      onClick={() => setColorScheme(next)}
      aria-label={label}
      title={label}
      data-testid="color-scheme-toggle"
    >
      {next === 'dark' ? <MoonIcon /> : <SunIcon />}
    </ActionIcon>
  );
}
