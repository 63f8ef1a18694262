import { Button, Drawer, Stack } from '@mantine/core';
import { useState } from 'react';
import { useI18n } from '../i18n';
import { PreferencesForm } from './PreferencesForm';
import { PasswordCard } from './PasswordCard';
import { TwoFactorCard } from './TwoFactorCard';

/** "My settings": the signed-in user's notifications, language, password and second factor. */
export function SettingsButton() {
  const { t } = useI18n();
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button
        variant="default"
        size="xs"
        onClick={() => setOpened(true)}
        style={{ flexShrink: 0 }}
        data-testid="my-settings"
      >
        {t('profile.open')}
      </Button>
      <SettingsDrawer opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}

/** The drawer itself, for whatever opens it (the header's button, the phone menu). */
export function SettingsDrawer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t, dir } = useI18n();
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      title={t('profile.title')}
      position={dir === 'rtl' ? 'left' : 'right'}
      size="lg"
      data-testid="settings-drawer"
    >
      {/* Mounted only while open: the forms start from what the hub has now. */}
      {opened && (
        <Stack gap="md">
          <PreferencesForm />
          <PasswordCard />
          <TwoFactorCard />
        </Stack>
      )}
    </Drawer>
  );
}
