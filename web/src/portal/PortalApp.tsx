import { Stack, Title } from '@mantine/core';
import { NotificationBell } from '../notifications/NotificationBell';
import { NotificationList } from '../notifications/NotificationList';
import { useInbox } from '../notifications/useInbox';
import type { User } from '../api/types';
import { Page } from '../app/Page';
import { isPortalRoute, type PortalRoute, type Route } from '../app/router';
import { useI18n } from '../i18n';
import { MyTickets } from './MyTickets';
import { useReplySender } from './offline/useReplyQueue';
import { NewTicketForm } from './NewTicketForm';
import { PortalHome } from './PortalHome';
import { PortalMonitoring } from './PortalMonitoring';
import { PortalProfile } from './PortalProfile';
import { PortalShell } from './PortalShell';
import { PortalTicketPage } from './PortalTicketPage';
import { TourMarked, TourProvider } from './tour/PortalTour';

interface PortalProps {
  user: User;
  route: PortalRoute;
  onLogout: () => void;
}

/** Where branch staff may go: the portal's pages and the knowledge base's reading pages. */
export type RequesterRoute = PortalRoute | Extract<Route, { page: 'knowledge' | 'article' }>;

export const isRequesterRoute = (route: Route): route is RequesterRoute =>
  isPortalRoute(route) || route.page === 'knowledge' || route.page === 'article';

/** The requester portal: its frame and the page the address names (docs/requesters.md). */
export function PortalApp({
  user,
  route,
  onLogout,
}: Omit<PortalProps, 'route'> & { route: RequesterRoute }) {
  // Replies written offline go out as soon as the connection returns, whatever page is shown.
  useReplySender(user.id);
  return (
    <TourProvider onHome={route.page === 'portal' && route.tab === 'home'}>
      <PortalShell
        user={user}
        route={route}
        onLogout={onLogout}
        headerExtra={
          <TourMarked step="notifications">
            <NotificationBell page="/portal/notifications" ticketPath={portalTicketPath} />
          </TourMarked>
        }
      >
        {isPortalRoute(route) ? (
          <PortalPage user={user} route={route} onLogout={onLogout} />
        ) : (
          // The knowledge base's own pages (web/src/knowledge), in the portal's frame.
          <Page route={route} user={user} />
        )}
      </PortalShell>
    </TourProvider>
  );
}

function PortalPage({ user, route, onLogout }: PortalProps) {
  if (route.page === 'portalTicket')
    return <PortalTicketPage key={route.ticketId} userId={user.id} ticketId={route.ticketId} />;
  switch (route.tab) {
    case 'home':
      return <PortalHome user={user} />;
    case 'tickets':
      return <MyTickets />;
    case 'new':
      return <NewTicketForm />;
    case 'monitoring':
      return <PortalMonitoring />;
    case 'notifications':
      return <NotificationsPage />;
    case 'profile':
      return <PortalProfile user={user} onLogout={onLogout} />;
  }
}

const portalTicketPath = (id: string) => `/portal/tickets/${encodeURIComponent(id)}`;

function NotificationsPage() {
  const { t } = useI18n();
  const controls = useInbox();
  return (
    <Stack gap="md" data-testid="portal-notifications">
      <Title order={1} size="h3">
        {t('portal.notifications.title')}
      </Title>
      <NotificationList controls={controls} ticketPath={portalTicketPath} />
    </Stack>
  );
}
