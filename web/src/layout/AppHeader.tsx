import { Button, Group, Text, Title } from '@mantine/core';
import type { User } from '../api/types';
import { useI18n } from '../i18n';
import { ColorSchemeToggle } from './ColorSchemeToggle';

interface AppHeaderProps {
  user: User;
  onLogout: () => void;
}

export function AppHeader({ user, onLogout }: AppHeaderProps) {
  const { t } = useI18n();
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Title order={1} size="h4" fw={700}>
        {t('app.name')}
      </Title>
      <Group gap="sm" wrap="nowrap">
        <Text size="sm" c="dimmed" visibleFrom="xs" data-testid="current-user">
          {t('header.userRole', { username: user.username, role: user.role })}
        </Text>
        <ColorSchemeToggle />
        <Button variant="default" onClick={onLogout} data-testid="logout">
          {t('header.logout')}
        </Button>
      </Group>
    </Group>
  );
}
