import type {
  Assignee,
  BulkAction,
  NewTicket,
  TicketChange,
  BulkResult,
  CannedReply,
  DeskEvent,
  DeskTicket,
  DeskTicketDetail,
  GroupMember,
  SupportGroup,
  TicketPage,
  Agent,
  AgentConnection,
  AgentEventView,
  Branch,
  Check,
  CheckTypes,
  ErrorBody,
  Heartbeat,
  ItemList,
  Resolution,
  Series,
  Ticket,
  TicketDetail,
  TicketFilter,
  Topology,
  User,
} from './types';

/**
 * Every failure of an API call, whatever its cause, so callers handle one type.
 * `status` is the HTTP status, or 0 when no response arrived.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The hub's `error.details`, e.g. `{ field }` for BW_ERR_VALIDATION (admin forms). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Codes the client makes up itself, for failures that carry no hub error body. */
export const CLIENT_ERROR_CODES = {
  network: 'BW_ERR_NETWORK',
  badResponse: 'BW_ERR_BAD_RESPONSE',
} as const;

export interface ApiClientOptions {
  /** Prefix for every path; empty when the UI is served by the hub itself. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  /**
   * Called when a request made with a session comes back 401: the session expired or was
   * revoked. Not called for login and `me`, where 401 is an expected answer.
   */
  onUnauthorized?: () => void;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** False for the auth routes, whose 401 is an answer rather than a lost session. */
  reportUnauthorized?: boolean;
  headers?: Record<string, string>;
}

/** Methods the admin pages use through `send`. */
export type AdminMethod = NonNullable<RequestOptions['method']>;

export type ApiClient = ReturnType<typeof createApiClient>;

/** A sign-in provider as the login page shows it. */
export interface SsoOption {
  id: string;
  name: string;
  kind: 'oidc' | 'saml';
  loginUrl: string;
}

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function request<T>(path: string, req: RequestOptions = {}): Promise<T> {
    const init: RequestInit = {
      method: req.method ?? 'GET',
      // The session is the httpOnly `bw_session` cookie; the UI is served from the same origin.
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...csrfHeader(), ...req.headers },
    };
    if (req.body !== undefined) {
      init.headers = { ...init.headers, 'Content-Type': 'application/json' };
      init.body = JSON.stringify(req.body);
    }

    let response: Response;
    try {
      response = await doFetch(baseUrl + path, init);
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, CLIENT_ERROR_CODES.network, detail);
    }

    if (!response.ok) {
      if (response.status === 401 && req.reportUnauthorized !== false) {
        options.onUnauthorized?.();
      }
      throw await errorFrom(response);
    }
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError(
        response.status,
        CLIENT_ERROR_CODES.badResponse,
        `invalid JSON from ${path}`,
      );
    }
  }

  return {
    login: async (username: string, password: string): Promise<User> =>
      (
        await request<{ user: User }>('/api/v1/auth/login', {
          method: 'POST',
          body: { username, password },
          reportUnauthorized: false,
        })
      ).user,
    /** Ends the session; for one that came through a provider, its logout address. */
    logout: async (): Promise<string | null> =>
      (
        await request<{ logoutUrl?: string } | undefined>('/api/v1/auth/logout', {
          method: 'POST',
          reportUnauthorized: false,
        })
      )?.logoutUrl ?? null,
    /** A tenant's sign-in providers, by its slug (the login page's buttons). */
    ssoProviders: async (tenant: string): Promise<SsoOption[]> =>
      (
        await request<{ items: SsoOption[] }>(
          `/api/v1/auth/sso/providers?tenant=${encodeURIComponent(tenant)}`,
          { reportUnauthorized: false },
        )
      ).items,
    /** The provider an address signs in through; null: the password form. */
    ssoDiscover: async (email: string): Promise<SsoOption | null> =>
      (
        await request<{ provider: SsoOption | null }>('/api/v1/auth/sso/discover', {
          method: 'POST',
          body: { email },
          reportUnauthorized: false,
        })
      ).provider,
    /** The login's second step with a TOTP code. */
    loginMfa: async (ticket: string, code: string): Promise<User> =>
      (
        await request<{ user: User }>('/api/v1/auth/login/mfa', {
          method: 'POST',
          body: { ticket, code },
          reportUnauthorized: false,
        })
      ).user,
    /** The TOTP enrolment a login requires before its session. */
    loginEnrol: (ticket: string): Promise<{ secret: string; qrCode: string }> =>
      request<{ secret: string; qrCode: string }>('/api/v1/auth/login/enrol', {
        method: 'POST',
        body: { ticket },
        reportUnauthorized: false,
      }),
    loginEnrolConfirm: (
      ticket: string,
      code: string,
    ): Promise<{ user: User; recoveryCodes: string[] }> =>
      request<{ user: User; recoveryCodes: string[] }>('/api/v1/auth/login/enrol/confirm', {
        method: 'POST',
        body: { ticket, code },
        reportUnauthorized: false,
      }),
    me: async (): Promise<User> =>
      (await request<{ user: User }>('/api/v1/auth/me', { reportUnauthorized: false })).user,

    branches: async (): Promise<Branch[]> =>
      (await request<ItemList<Branch>>('/api/v1/branches')).items,
    agents: async (): Promise<Agent[]> => (await request<ItemList<Agent>>('/api/v1/agents')).items,
    checks: async (): Promise<Check[]> => (await request<ItemList<Check>>('/api/v1/checks')).items,
    tickets: async (state?: TicketFilter): Promise<Ticket[]> => {
      const query = state ? `?state=${encodeURIComponent(state)}` : '';
      return (await request<ItemList<Ticket>>(`/api/v1/tickets${query}`)).items;
    },
    ticket: (id: string): Promise<TicketDetail> =>
      request<TicketDetail>(`/api/v1/tickets/${encodeURIComponent(id)}`),
    topology: (branchId: string): Promise<Topology> =>
      request<Topology>(`/api/v1/branches/${encodeURIComponent(branchId)}/topology`),
    /** Without `resolution` the hub picks one for the range (raw up to 6 h, then rollups). */
    series: (checkId: string, from: Date, to: Date, resolution?: Resolution): Promise<Series> => {
      const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
      if (resolution) query.set('resolution', resolution);
      return request<Series>(`/api/v1/checks/${encodeURIComponent(checkId)}/series?${query}`);
    },
    checkTypes: (): Promise<CheckTypes> => request<CheckTypes>('/api/v1/check-types'),
    heartbeats: async (): Promise<Heartbeat[]> =>
      (await request<ItemList<Heartbeat>>('/api/v1/heartbeats')).items,
    connections: async (agentId: string, limit = 20): Promise<AgentConnection[]> =>
      (
        await request<ItemList<AgentConnection>>(
          `/api/v1/agents/${encodeURIComponent(agentId)}/connections?limit=${limit}`,
        )
      ).items,
    events: async (agentId?: string, limit = 50): Promise<AgentEventView[]> => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (agentId) query.set('agentId', agentId);
      return (await request<ItemList<AgentEventView>>(`/api/v1/events?${query}`)).items;
    },
    // --- admin: any call by method and path; typed wrappers live in src/admin/ ---
    send: <T>(
      method: AdminMethod,
      path: string,
      body?: unknown,
      headers?: Record<string, string>,
    ): Promise<T> => request<T>(path, { method, body, ...(headers ? { headers } : {}) }),
    // --- end admin ---
    // --- ticket desk: the ticket API of docs/tickets.md ---
    ticketPage: (query: string): Promise<TicketPage> =>
      request<TicketPage>(`/api/v1/tickets${query === '' ? '' : `?${query}`}`),
    deskTicket: (id: string): Promise<DeskTicketDetail> =>
      request<DeskTicketDetail>(`/api/v1/tickets/${encodeURIComponent(id)}`),
    openTicket: async (input: NewTicket): Promise<DeskTicket> =>
      (await request<{ ticket: DeskTicket }>('/api/v1/tickets', { method: 'POST', body: input }))
        .ticket,
    /**
     * With `version` (the one on screen), only that version of the ticket is changed: someone
     * else's change in between answers 412 BW_ERR_TICKET_CHANGED (docs/tickets.md).
     */
    changeTicket: async (id: string, change: TicketChange, version?: number): Promise<DeskTicket> =>
      (
        await request<{ ticket: DeskTicket }>(`/api/v1/tickets/${encodeURIComponent(id)}`, {
          method: 'PATCH',
          body: change,
          ...(version === undefined ? {} : { headers: { 'If-Match': `"${version}"` } }),
        })
      ).ticket,
    replyToTicket: (
      id: string,
      input: { body?: string; cannedReplyId?: string; visibility: 'public' | 'internal' },
    ): Promise<{ event: DeskEvent }> =>
      request(`/api/v1/tickets/${encodeURIComponent(id)}/replies`, { method: 'POST', body: input }),
    addTicketTag: (id: string, tag: string): Promise<unknown> =>
      request(`/api/v1/tickets/${encodeURIComponent(id)}/tags`, { method: 'POST', body: { tag } }),
    removeTicketTag: (id: string, tag: string): Promise<void> =>
      request(`/api/v1/tickets/${encodeURIComponent(id)}/tags/${encodeURIComponent(tag)}`, {
        method: 'DELETE',
      }),
    addWatcher: (id: string, userId: string): Promise<void> =>
      request(`/api/v1/tickets/${encodeURIComponent(id)}/watchers`, {
        method: 'POST',
        body: { userId },
      }),
    removeWatcher: (id: string, userId: string): Promise<void> =>
      request(`/api/v1/tickets/${encodeURIComponent(id)}/watchers/${encodeURIComponent(userId)}`, {
        method: 'DELETE',
      }),
    bulkTickets: async (ids: string[], action: BulkAction): Promise<BulkResult[]> =>
      (
        await request<{ results: BulkResult[] }>('/api/v1/tickets/bulk', {
          method: 'POST',
          body: { ids, action },
        })
      ).results,
    cannedReplies: async (): Promise<CannedReply[]> =>
      (await request<ItemList<CannedReply>>('/api/v1/canned-replies')).items,
    assignees: async (): Promise<Assignee[]> =>
      (await request<ItemList<Assignee>>('/api/v1/assignees')).items,
    supportGroups: async (): Promise<SupportGroup[]> =>
      (await request<ItemList<SupportGroup>>('/api/v1/support-groups')).items,
    groupMembers: async (groupId: string): Promise<GroupMember[]> =>
      (
        await request<{ members: GroupMember[] }>(
          `/api/v1/support-groups/${encodeURIComponent(groupId)}`,
        )
      ).members,
    /** The file is the raw body (the hub takes no multipart), its type the Content-Type. */
    uploadAttachment: (id: string, file: File): Promise<void> =>
      uploadFile(
        `/api/v1/tickets/${encodeURIComponent(id)}/attachments?name=${encodeURIComponent(file.name)}`,
        file,
      ),
    uploadFile,
    // --- end ticket desk ---
  };

  /**
   * PUTs `file` as the raw body to `path` (attachments of the desk and the portal, an article's
   * files), with `headers` besides (an `Idempotency-Key`); the hub's answer, when it gave one.
   */
  async function uploadFile<T = void>(
    path: string,
    file: Blob,
    headers: Record<string, string> = {},
  ): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(baseUrl + path, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: {
          Accept: 'application/json',
          'Content-Type': file.type || 'application/octet-stream',
          ...headers,
          ...csrfHeader(),
        },
        body: file,
      });
    } catch (cause) {
      throw new ApiError(0, CLIENT_ERROR_CODES.network, String(cause));
    }
    if (!response.ok) throw await errorFrom(response);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/**
 * The hub refuses unsafe cookie-authenticated requests without `X-CSRF-Token` equal to the
 * `bw_csrf` cookie it set at login (hub/src/identity/csrf.ts); sending it always is harmless.
 */
function csrfHeader(): Record<string, string> {
  if (typeof document === 'undefined') return {};
  const match = /(?:^|;\s*)bw_csrf=([^;]*)/.exec(document.cookie);
  return match?.[1] ? { 'X-CSRF-Token': decodeURIComponent(match[1]) } : {};
}

/** Reads the hub's `{ error: { code, message } }`, or describes whatever else came back. */
async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ErrorBody>;
    const { code, message, details } = body.error ?? {};
    if (typeof code === 'string' && typeof message === 'string') {
      return new ApiError(response.status, code, message, details);
    }
  } catch {
    // Not JSON: a proxy's error page, or the dev server with no hub behind it.
  }
  const reason = response.statusText || 'request failed';
  return new ApiError(
    response.status,
    `BW_ERR_HTTP_${response.status}`,
    `HTTP ${response.status} ${reason}`,
  );
}
