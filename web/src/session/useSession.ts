import { useCallback, useEffect, useState } from 'react';
import { ApiError, createApiClient, type ApiClient } from '../api/client';
import type { User } from '../api/types';
import { forgetReadings } from '../pwa/register';

export type Session =
  | { status: 'checking' }
  /** `problem`: why we could not even ask (hub unreachable, …), shown on the login screen. */
  | { status: 'signedOut'; problem: unknown }
  | { status: 'signedIn'; user: User };

export interface SessionControls {
  session: Session;
  api: ApiClient;
  signedIn: (user: User) => void;
  logout: () => Promise<void>;
}

/**
 * Who is signed in. Asks the hub once on start (`/auth/me`); any later 401 from the API means
 * the session ended elsewhere (expired, revoked) and returns to the login screen.
 */
export function useSession(): SessionControls {
  const [session, setSession] = useState<Session>({ status: 'checking' });
  const [api] = useState(() =>
    createApiClient({ onUnauthorized: () => setSession({ status: 'signedOut', problem: null }) }),
  );

  useEffect(() => {
    let stopped = false;
    api.me().then(
      (user) => {
        if (!stopped) setSession({ status: 'signedIn', user });
      },
      (error: unknown) => {
        if (stopped) return;
        const expected = error instanceof ApiError && error.status === 401;
        setSession({ status: 'signedOut', problem: expected ? null : error });
      },
    );
    return () => {
      stopped = true;
    };
  }, [api]);

  // Login answers who signed in but not what they may do; `me` does (the pages offered and
  // whether this is the portal depend on it), so it is asked before the shell is shown.
  const signedIn = useCallback(
    (user: User) => {
      api.me().then(
        (full) => setSession({ status: 'signedIn', user: full }),
        () => setSession({ status: 'signedIn', user }),
      );
    },
    [api],
  );

  const logout = useCallback(async () => {
    await forgetReadings();
    try {
      // A session that came through the organisation's provider ends there too.
      const logoutUrl = await api.logout();
      if (logoutUrl) {
        window.location.assign(logoutUrl);
        return;
      }
    } catch {
      // The hub did not answer; the user still asked to leave, so this tab forgets them.
      // (The cookie is httpOnly: only the hub can clear it, and will on the next login.)
    }
    setSession({ status: 'signedOut', problem: null });
  }, [api]);

  return { session, api, signedIn, logout };
}
