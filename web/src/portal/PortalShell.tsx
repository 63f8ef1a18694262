import { Alert, AppShell, Button, Group, Text, UnstyledButton } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';
import type { User } from '../api/types';
import { linkTo, type PortalRoute, type Route } from '../app/router';
import { useI18n } from '../i18n';
import { LanguageSwitcher } from '../i18n/LanguageSwitcher';
import { ColorSchemeToggle } from '../layout/ColorSchemeToggle';
import { PhoneMenu } from '../layout/PhoneMenu';
import { SettingsDrawer } from '../profile/SettingsDrawer';
import { useOnline } from './offline/useReplyQueue';
import { BellIcon, HomeIcon, PersonIcon, PulseIcon, TicketsIcon } from './icons';
import classes from './Portal.module.css';
import { useTour } from './tour/PortalTour';
import { usePortalBrand } from '../branding/PortalBrand';

export const PORTAL_TABS = [
  { tab: 'home', to: '/portal', label: 'portal.nav.home', Icon: HomeIcon },
  { tab: 'tickets', to: '/portal/tickets', label: 'portal.nav.tickets', Icon: TicketsIcon },
  { tab: 'monitoring', to: '/portal/monitoring', label: 'portal.nav.monitoring', Icon: PulseIcon },
  {
    tab: 'notifications',
    to: '/portal/notifications',
    label: 'portal.nav.notifications',
    Icon: BellIcon,
  },
  { tab: 'profile', to: '/portal/profile', label: 'portal.nav.profile', Icon: PersonIcon },
] as const;
type Tab = (typeof PORTAL_TABS)[number]['tab'];

/**
 * The tab a portal page belongs to (a ticket belongs to Tickets, the new-ticket form too);
 * none for the knowledge base's pages, which the portal's header opens.
 */
export function tabOf(route: PortalRoute | Route): Tab | null {
  if (route.page === 'portalTicket') return 'tickets';
  if (route.page !== 'portal') return null;
  return route.tab === 'new' ? 'tickets' : route.tab;
}

/** Beyond the five tabs: the knowledge base, in the header (the phone's menu). */
const MORE = [{ page: 'knowledge', to: '/knowledge', label: 'nav.knowledge' }] as const;

interface PortalShellProps {
  user: User;
  route: PortalRoute | Route;
  onLogout: () => void;
  /** Beside the product's name in the header (the notification bell). */
  headerExtra?: ReactNode;
  children: ReactNode;
}

/**
 * The requester portal's frame, mobile first: on a phone a short header and a fixed bottom
 * navigation within the thumb's reach (Home, Tickets, Monitoring, Notifications, Profile); on a
 * desktop the same pages as links in the header.
 */
export function PortalShell({ user, route, onLogout, headerExtra, children }: PortalShellProps) {
  const { t } = useI18n();
  const [settings, setSettings] = useState(false);
  const inKnowledge = route.page === 'knowledge' || route.page === 'article';
  // Mantine's md breakpoint (62em), where the desk's header also switches to its phone menu.
  const phone = useMediaQuery('(max-width: 61.99em)', true, { getInitialValueInEffect: false });
  const current = tabOf(route);
  const online = useOnline();
  // The tour's tip about notifications outlines their tab (the bell outlines itself).
  const tourStep = useTour().step;
  const { brand, logoUrl } = usePortalBrand();
  const tourMark = (tab: Tab) =>
    tourStep === 'notifications' && tab === 'notifications' ? true : undefined;
  return (
    <AppShell
      header={{ height: 56 }}
      footer={{ height: 64, collapsed: !phone }}
      padding="md"
      data-portal
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap" miw={0}>
            {/* Not a heading: each page's own title is its h1. The tenant's name and logo. */}
            <Group gap={8} wrap="nowrap" className={classes.product}>
              {logoUrl && <img src={logoUrl} alt="" className={classes.logo} />}
              {/* dir="auto": a Latin name in a Persian page is cut at its own end. */}
              <Text fw={700} size="lg" truncate dir="auto" data-testid="portal-product">
                {brand?.productName ?? t('app.name')}
              </Text>
            </Group>
            {!phone && (
              <Group gap={4} component="nav" aria-label={t('portal.nav.label')} wrap="nowrap">
                {PORTAL_TABS.map((item) => (
                  <Button
                    key={item.tab}
                    component="a"
                    size="compact-sm"
                    variant={current === item.tab ? 'light' : 'subtle'}
                    color={current === item.tab ? undefined : 'gray'}
                    aria-current={current === item.tab ? 'page' : undefined}
                    data-testid={`portal-nav-${item.tab}`}
                    data-tour-active={tourMark(item.tab)}
                    {...linkTo(item.to)}
                  >
                    {t(item.label)}
                  </Button>
                ))}
                {MORE.map((item) => (
                  <Button
                    key={item.page}
                    component="a"
                    size="compact-sm"
                    variant={inKnowledge ? 'light' : 'subtle'}
                    color={inKnowledge ? undefined : 'gray'}
                    aria-current={inKnowledge ? 'page' : undefined}
                    data-testid={`portal-nav-${item.page}`}
                    {...linkTo(item.to)}
                  >
                    {t(item.label)}
                  </Button>
                ))}
              </Group>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {headerExtra}
            {phone && (
              <PhoneMenu
                user={user}
                nav={MORE}
                onSettings={() => setSettings(true)}
                onLogout={onLogout}
              />
            )}
            {!phone && (
              <>
                <LanguageSwitcher />
                <ColorSchemeToggle />
                <Button variant="default" onClick={onLogout} data-testid="logout">
                  {t('header.logout')}
                </Button>
              </>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <SettingsDrawer opened={settings} onClose={() => setSettings(false)} />
      <AppShell.Main className={classes.main}>
        {!online && (
          <Alert color="gray" mb="md" data-testid="portal-offline">
            {t('portal.offline.banner')}
          </Alert>
        )}
        {children}
      </AppShell.Main>
      {phone && (
        <AppShell.Footer className={classes.bottomNav}>
          <nav aria-label={t('portal.nav.label')} className={classes.tabs}>
            {PORTAL_TABS.map(({ tab, to, label, Icon }) => (
              <UnstyledButton
                key={tab}
                component="a"
                className={classes.tab}
                data-active={current === tab || undefined}
                aria-current={current === tab ? 'page' : undefined}
                data-testid={`portal-tab-${tab}`}
                data-tour-active={tourMark(tab)}
                {...linkTo(to)}
              >
                <Icon />
                <Text span size="xs" lh={1.2} className={classes.tabLabel}>
                  {t(label)}
                </Text>
              </UnstyledButton>
            ))}
          </nav>
        </AppShell.Footer>
      )}
    </AppShell>
  );
}
