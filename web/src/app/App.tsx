import { AppShell, Center, Loader } from '@mantine/core';
import { ApiProvider } from '../api/ApiContext';
import { LanguageSync } from '../i18n/LanguageSync';
import { AppHeader } from '../layout/AppHeader';
import { LoginScreen } from '../login/LoginScreen';
import { OverviewPage } from '../overview/OverviewPage';
import { useSession } from '../session/useSession';
import classes from './App.module.css';
import { Page } from './Page';
import { matchRoute, useLocation } from './router';

/** Login until there is a session, then the shell with the page the address names. */
export function App() {
  const { session, api, signedIn, logout } = useSession();
  const route = matchRoute(useLocation().pathname);

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
      content = (
        <AppShell header={{ height: 56 }} padding="md">
          <AppShell.Header>
            <AppHeader user={session.user} route={route} onLogout={() => void logout()} />
          </AppShell.Header>
          <AppShell.Main className={classes.main}>
            {route.page === 'overview' ? <OverviewPage /> : <Page route={route} />}
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
