import { AppShell, Center, Loader } from '@mantine/core';
import { ApiProvider } from '../api/ApiContext';
import { AppHeader } from '../layout/AppHeader';
import { LoginScreen } from '../login/LoginScreen';
import { OverviewPage } from '../overview/OverviewPage';
import { useSession } from '../session/useSession';
import classes from './App.module.css';

/** Login until there is a session, then the shell with the overview (the only page so far). */
export function App() {
  const { session, api, signedIn, logout } = useSession();

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
            <AppHeader user={session.user} onLogout={() => void logout()} />
          </AppShell.Header>
          <AppShell.Main className={classes.main}>
            <OverviewPage />
          </AppShell.Main>
        </AppShell>
      );
      break;
  }
  return <ApiProvider value={api}>{content}</ApiProvider>;
}
