import { Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { User } from '../api/types';
import { useLoad, useNotifyApi } from '../common/useLoad';
import { LANGUAGES, useI18n, type Language } from '../i18n';
import { chooseLanguage } from '../i18n/LanguageSync';
import { ColorSchemeToggle } from '../layout/ColorSchemeToggle';
import { PushCard } from '../profile/PushCard';
import { SettingsDrawer } from '../profile/SettingsDrawer';
import { navigate } from '../app/router';
import { useTour } from './tour/PortalTour';

/** Who is signed in, their branches, language and theme, their settings, and logging out. */
export function PortalProfile({ user, onLogout }: { user: User; onLogout: () => void }) {
  const { t, locale, language } = useI18n();
  const notify = useNotifyApi();
  const client = useApi();
  const { data: branches } = useLoad(useCallback(() => client.branches(), [client]));
  const [settings, setSettings] = useState(false);
  const tour = useTour();
  return (
    <Stack gap="md" data-testid="portal-profile">
      <Title order={1} size="h3">
        {t('portal.profile.title')}
      </Title>
      <Card withBorder>
        <Stack gap={4}>
          <Text fw={600}>{t('portal.profile.who', { username: user.username })}</Text>
          <Text size="sm" c="dimmed">
            {t(`role.${user.role}`)}
          </Text>
          {branches && branches.length > 0 && (
            <Text size="sm" data-testid="portal-branches">
              {t('portal.profile.branches', {
                names: new Intl.ListFormat(locale, { type: 'conjunction' }).format(
                  branches.map((b) => b.name),
                ),
              })}
            </Text>
          )}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="sm">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{t('portal.profile.language')}</Text>
            <SegmentedControl
              size="xs"
              value={language}
              onChange={(next) =>
                void chooseLanguage(notify, next as Language).catch(() => undefined)
              }
              data={LANGUAGES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
              data-testid="portal-language"
            />
          </Group>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{t('portal.profile.theme')}</Text>
            <ColorSchemeToggle />
          </Group>
          <Button variant="default" onClick={() => setSettings(true)} data-testid="portal-settings">
            {t('portal.profile.settings')}
          </Button>
          <Button
            variant="default"
            onClick={() =>
              void tour.restart().then(
                () => navigate('/portal'),
                () => undefined,
              )
            }
            data-testid="portal-tour-again"
          >
            {t('portal.profile.tour')}
          </Button>
        </Stack>
      </Card>
      <PushCard />
      <Button color="red" variant="light" onClick={onLogout} data-testid="portal-logout">
        {t('header.logout')}
      </Button>
      <SettingsDrawer opened={settings} onClose={() => setSettings(false)} />
    </Stack>
  );
}
