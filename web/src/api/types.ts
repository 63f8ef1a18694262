// The hub's HTTP API (v1) as the web UI uses it: every type here is named out of `openapi.d.ts`,
// which `pnpm docs:openapi` generates from the hub's route schemas. A change to a route's schema
// therefore fails the web's type check where the UI must follow; nothing is kept by hand.
// Timestamps are ISO 8601 strings; ids are opaque strings.
import type { paths } from './openapi';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** What a route answers on success (its 200 or 201 JSON body). */
export type ApiAnswer<P extends keyof paths, M extends Method> = paths[P][M] extends {
  responses: infer R;
}
  ? JsonOf<R[Extract<keyof R, 200 | 201>]>
  : never;

/** What a route takes as its JSON body. */
export type ApiBody<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? JsonOf<NonNullable<B>>
  : never;

/** What a route takes in its query string. */
export type ApiQuery<P extends keyof paths, M extends Method> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

type Item<T> = T extends { items: (infer I)[] } ? I : never;

export interface ItemList<T> {
  items: T[];
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

// --- people ---
export type User = ApiAnswer<'/api/v1/auth/me', 'get'>['user'];
export type Role = User['role'];

// --- branches, agents, checks ---
export type Branch = Item<ApiAnswer<'/api/v1/branches', 'get'>> & {
  /** Not served by the hub yet: the map groups by them once it does (see buildNocGraph). */
  region?: string | null;
  isp?: string | null;
};
export type Agent = Item<ApiAnswer<'/api/v1/agents', 'get'>>;
export type Check = Item<ApiAnswer<'/api/v1/checks', 'get'>>;
export type CheckState = Check['state'];
/** A state the hub may add later (flapping); the map treats any other string as unknown. */
export type ReportedCheckState = CheckState | 'flapping' | (string & {});
/** Probe types the UI formats specially; any other type still renders, generically. */
export type KnownCheckType = 'icmp' | 'tcp';
export type CheckResult = NonNullable<Check['lastResult']>;
/** GET /check-types: each type's options as a form offers them (bounds, defaults, units). */
export type CheckTypes = ApiAnswer<'/api/v1/check-types', 'get'>;
export type CheckTypeInfo = CheckTypes['items'][number];
export type CheckOptionField = CheckTypeInfo['options'][number];
/** GET /heartbeats: each check's last rounds. */
export type Heartbeat = Item<ApiAnswer<'/api/v1/heartbeats', 'get'>>;
/** GET /agents/:id/connections: when an agent went away and came back. */
export type AgentConnection = Item<ApiAnswer<'/api/v1/agents/{id}/connections', 'get'>>;

/** GET /branches/:id/topology: what the branch's agents discovered (LLDP, SNMP). */
export type Topology = ApiAnswer<'/api/v1/branches/{id}/topology', 'get'>;
export type TopologyDevice = Topology['devices'][number];
export type TopologyLink = Topology['links'][number];

/** GET /checks/:id/series. */
export type Series = ApiAnswer<'/api/v1/checks/{id}/series', 'get'>;
export type Resolution = Series['resolution'];
/** One raw round (rounds = 1) or one rollup bucket of a check's series. */
export type SeriesPoint = Series['points'][number];
export type FieldStats = SeriesPoint['stats'][string];

/** GET /events: what agents forwarded (SNMP traps today). */
export type AgentEventView = Item<ApiAnswer<'/api/v1/events', 'get'>>;

// --- tickets ---
/** A page of the queue (GET /tickets); `nextOffset` is null on the last page. */
export type TicketPage = ApiAnswer<'/api/v1/tickets', 'get'>;
/** A ticket in the queue: the ticket and the SLA clock that needs attention first (`due`). */
export type QueueTicket = TicketPage['items'][number];
export type DueClock = NonNullable<QueueTicket['due']>;
export type DeskTicket = ApiAnswer<'/api/v1/tickets/{id}', 'get'>['ticket'];
export type Ticket = DeskTicket;
export type TicketState = Ticket['state'];
export type TicketPriority = Ticket['priority'];
export type TicketSource = Ticket['source'];
/** `active` is every state but resolved and closed. */
export type TicketFilter = TicketState | 'active';
export type TicketSort = NonNullable<ApiQuery<'/api/v1/tickets', 'get'>['sort']>;

/** A ticket with its history, tags, watchers, links, attachments and SLA clocks. */
export type DeskTicketDetail = ApiAnswer<'/api/v1/tickets/{id}', 'get'>;
export type TicketDetail = DeskTicketDetail;
export type DeskEvent = DeskTicketDetail['events'][number];
export type TicketEvent = DeskEvent;
export type DeskEventKind = DeskEvent['kind'];
export type TicketEventKind = DeskEventKind;
export type TicketAttachment = DeskTicketDetail['attachments'][number];
export type SlaClockView = NonNullable<DeskTicketDetail['clocks']['resolution']>;
export type SlaClockStatus = SlaClockView['status'];

export type BulkAction = ApiBody<'/api/v1/tickets/bulk', 'post'>['action'];
/** One ticket's outcome of a bulk action: `ok`, or the error that ticket got. */
export type BulkResult = ApiAnswer<'/api/v1/tickets/bulk', 'post'>['results'][number];

export type SupportGroup = Item<ApiAnswer<'/api/v1/support-groups', 'get'>>;
export type GroupMember = ApiAnswer<'/api/v1/support-groups/{id}', 'get'>['members'][number];
export type CannedReply = Item<ApiAnswer<'/api/v1/canned-replies', 'get'>>;
/** Someone a ticket can go to (users who may work tickets). */
export type Assignee = Item<ApiAnswer<'/api/v1/assignees', 'get'>>;
export type HelpdeskSettings = ApiAnswer<'/api/v1/helpdesk/settings', 'get'>;
export type NewTicket = ApiBody<'/api/v1/tickets', 'post'>;
export type TicketChange = ApiBody<'/api/v1/tickets/{id}', 'patch'>;
