/**
 * Who is making an API request, as every route sees it. The identity room fills it in (its
 * session guard sets `user` and `token`, its access middleware `access`); routes of every room
 * read it, so it lives here, below them all.
 */

import type { Role } from '@branchwatch/api';

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  tenantId: string | null;
  /** Set when the request came with an API token: the permissions the token is limited to. */
  scopes?: readonly string[];
}

/** A logged-in user's effective permissions and branch scope (empty: all branches). */
export interface UserAccess {
  permissions: ReadonlySet<string>;
  branchIds: readonly string[];
}

export interface AppState {
  user: SessionUser;
  token: string;
  /** Effective permissions and branch scope, set by identity/access.ts after the session guard. */
  access: UserAccess;
  /** The body of an upload, received before the request's transaction (staged-upload.ts). */
  upload?: { path: string; size: number };
  /**
   * Runs `work` in this user's database scope again (row-level security), for an answer that
   * streams after the request's own transaction has ended (the CSV export); identity/access.ts.
   */
  inScope<T>(work: () => Promise<T>): Promise<T>;
}
