import { Button, Group, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { User } from '../api/types';
import { linkTo, type Route } from '../app/router';
import { useI18n } from '../i18n';
import { DESK_PAGE_NEEDS } from '../session/access';
import { NotificationBell } from '../notifications/NotificationBell';
import { LanguageSwitcher } from '../i18n/LanguageSwitcher';
import { SettingsDrawer } from '../profile/SettingsDrawer';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { PhoneMenu } from './PhoneMenu';

interface AppHeaderProps {
  user: User;
  /** The page shown, so its link is marked current. */
  route: Route;
  onLogout: () => void;
}

const navItems = [
  { page: 'overview', to: '/', label: 'nav.overview' },
  { page: 'map', to: '/map', label: 'nav.map' },
  { page: 'tickets', to: '/tickets', label: 'nav.tickets' },
  { page: 'reports', to: '/reports', label: 'nav.reports' },
  { page: 'knowledge', to: '/knowledge', label: 'nav.knowledge' },
  { page: 'admin', to: '/admin', label: 'nav.admin' },
] as const;

const deskTicketPath = (id: string) => `/tickets/${encodeURIComponent(id)}`;

export function AppHeader({ user, route, onLogout }: AppHeaderProps) {
  const { t } = useI18n();
  // Only the pages this person can use (a viewer has no Admin, a custom role may lack Tickets).
  const nav = navItems.filter((item) => DESK_PAGE_NEEDS[item.page]?.(user) ?? true);
  const [settings, setSettings] = useState(false);
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="lg" wrap="nowrap">
        <Title order={1} size="h4" fw={700}>
          {t('app.name')}
        </Title>
        <Group gap={4} component="nav" aria-label={t('nav.label')} wrap="nowrap" visibleFrom="md">
          {nav.map((item) => {
            // A branch page belongs to the overview, which lists the branches and links to them.
            const current =
              route.page === item.page ||
              (item.page === 'overview' && route.page === 'branch') ||
              (item.page === 'tickets' && route.page === 'ticket') ||
              (item.page === 'knowledge' &&
                ['article', 'articleEdit', 'knowledgeReport'].includes(route.page));
            return (
              <Button
                key={item.page}
                component="a"
                size="compact-sm"
                variant={current ? 'light' : 'subtle'}
                color={current ? undefined : 'gray'}
                aria-current={current ? 'page' : undefined}
                data-testid={`nav-${item.page}`}
                {...linkTo(item.to)}
              >
                {t(item.label)}
              </Button>
            );
          })}
        </Group>
      </Group>
      {/* One bell at every size; the rest of the right side differs between phone and desktop. */}
      <Group gap="sm" wrap="nowrap" miw={0}>
        <NotificationBell ticketPath={deskTicketPath} />
        <Group gap="sm" wrap="nowrap" visibleFrom="md" miw={0}>
          {/* The name and role give way first when the header is full (a long role in
              French): shortened with an ellipsis, whole on hover, never the buttons cut. */}
          <Text
            size="sm"
            c="dimmed"
            truncate="end"
            miw={0}
            title={t('header.userRole', { username: user.username, role: t(`role.${user.role}`) })}
            data-testid="current-user"
          >
            {t('header.userRole', { username: user.username, role: t(`role.${user.role}`) })}
          </Text>
          <LanguageSwitcher />
          <ColorSchemeToggle />
          <Button
            variant="default"
            onClick={onLogout}
            style={{ flexShrink: 0 }}
            data-testid="logout"
          >
            {t('header.logout')}
          </Button>
        </Group>
        <Group hiddenFrom="md" gap="xs" wrap="nowrap">
          <PhoneMenu
            user={user}
            nav={nav}
            onSettings={() => setSettings(true)}
            onLogout={onLogout}
          />
        </Group>
      </Group>
      <SettingsDrawer opened={settings} onClose={() => setSettings(false)} />
    </Group>
  );
}
