import { AppShell, Center, Loader } from '@mantine/core';
import { useEffect } from 'react';
import { ApiProvider } from '../api/ApiContext';
import { LanguageSync } from '../i18n/LanguageSync';
import { LIVE_STREAM_PATH, PORTAL_STREAM_PATH, setLiveStreamPath } from '../live/liveSource';
import { AppHeader } from '../layout/AppHeader';
import { LoginScreen } from '../login/LoginScreen';
import { OverviewPage } from '../overview/OverviewPage';
import { isRequesterRoute, PortalApp, type RequesterRoute } from '../portal/PortalApp';
import { isRequester, may } from '../session/access';
import { useSession } from '../session/useSession';
import classes from './App.module.css';
import { Page } from './Page';
import { isPortalRoute, matchRoute, navigate, useLocation, type PortalRoute } from './router';

const PORTAL_HOME: PortalRoute = { page: 'portal', tab: 'home' };

/** Login until there is a session, then the shell with the page the address names. */
export function App() {
  const { session, api, signedIn, logout } = useSession();
  const route = matchRoute(useLocation().pathname);
  const user = session.status === 'signedIn' ? session.user : null;
  const requester = user !== null && isRequester(user);
  // Branch staff live in the portal: any other address (the NOC's "/", a desk link) takes
  // them to its home; the hub would refuse the desk's data anyway. Staff who may use the
  // portal (admins) can open it at /portal to see what branch staff see.
  const inPortal = isRequesterRoute(route);
  // A ticket's desk address (a push notification's click, a link in a mail) is the same
  // ticket's page in the portal.
  const portalTicket: RequesterRoute | null =
    route.page === 'ticket' ? { page: 'portalTicket', ticketId: route.ticketId } : null;
  const portalRoute: RequesterRoute | null = requester
    ? inPortal
      ? route
      : (portalTicket ?? PORTAL_HOME)
    : isPortalRoute(route) && user && may(user, 'portal.use')
      ? route
      : null;
  // The stream the person may read, before any page below subscribes to it: the portal's in
  // the portal (branch staff hold no `tickets.read`), the desk's with `tickets.read`, else none
  // (the pages poll) — a stream the hub refuses is not asked for.
  setLiveStreamPath(
    user === null
      ? null
      : portalRoute
        ? may(user, 'portal.use')
          ? PORTAL_STREAM_PATH
          : null
        : may(user, 'tickets.read')
          ? LIVE_STREAM_PATH
          : null,
  );
  const ticketId = portalTicket?.page === 'portalTicket' ? portalTicket.ticketId : null;
  useEffect(() => {
    if (requester && !inPortal)
      navigate(ticketId ? `/portal/tickets/${encodeURIComponent(ticketId)}` : '/portal', {
        replace: true,
      });
  }, [requester, inPortal, ticketId]);

  let content;
  switch (session.status) {
    case 'checking':
      content = (
        <Center mih="100vh">
          <Loader />
        </Center>
      );
      break;
    case 'signedOut':
      content = <LoginScreen onSignedIn={signedIn} initialProblem={session.problem} />;
      break;
    case 'signedIn':
      content = portalRoute ? (
        <PortalApp user={session.user} route={portalRoute} onLogout={() => void logout()} />
      ) : (
        <AppShell header={{ height: 56 }} padding="md">
          <AppShell.Header>
            <AppHeader user={session.user} route={route} onLogout={() => void logout()} />
          </AppShell.Header>
          <AppShell.Main className={classes.main}>
            {route.page === 'overview' ? (
              <OverviewPage user={session.user} />
            ) : (
              <Page route={route} user={session.user} />
            )}
          </AppShell.Main>
        </AppShell>
      );
      break;
  }
  return (
    <ApiProvider value={api}>
      <LanguageSync />
      {content}
    </ApiProvider>
  );
}
