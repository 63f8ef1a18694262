import type { TicketPriority, TicketSort, TicketSource, TicketState } from '../api/types';

// The queue's filters, sort and page live in the address (/tickets?state=open&q=tunnel), so a
// view can be bookmarked, shared, saved and reloaded. These functions map between the address,
// the hub's GET /api/v1/tickets query (docs/tickets.md "The queue") and the form.

export const TICKET_STATES: readonly TicketState[] = [
  'open',
  'in_progress',
  'answered',
  'waiting',
  'on_hold',
  'resolved',
  'closed',
];
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const TICKET_SOURCES: readonly TicketSource[] = ['alert', 'person'];
export const TICKET_SORTS: readonly TicketSort[] = [
  'opened_at',
  'updated_at',
  'priority',
  'number',
];
export const PAGE_SIZES = [25, 50, 100] as const;

/** `active` (the default: all but resolved and closed), `all`, or a list of states. */
export type StateFilter = 'active' | 'all' | TicketState[];

export interface QueueQuery {
  state: StateFilter;
  priority: TicketPriority[];
  assignee: string;
  group: string;
  branch: string;
  tag: string;
  source: TicketSource | '';
  q: string;
  sort: TicketSort;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export const DEFAULT_QUERY: QueueQuery = {
  state: 'active',
  priority: [],
  assignee: '',
  group: '',
  branch: '',
  tag: '',
  source: '',
  q: '',
  sort: 'opened_at',
  order: 'desc',
  offset: 0,
  limit: 25,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const listOf = <T extends string>(raw: string | null, allowed: readonly T[]): T[] =>
  (raw ?? '').split(',').filter((v): v is T => (allowed as readonly string[]).includes(v));

const oneOf = <T extends string>(raw: string | null, allowed: readonly T[], fallback: T): T =>
  (allowed as readonly string[]).includes(raw ?? '') ? (raw as T) : fallback;

const uuidOr = (raw: string | null) => (raw !== null && UUID.test(raw) ? raw : '');

/** The query an address names; anything unknown or malformed falls back to the default. */
export function queueFromSearch(search: URLSearchParams): QueueQuery {
  const rawState = search.get('state');
  const states = listOf(rawState, TICKET_STATES);
  const offset = Number(search.get('offset'));
  const limit = Number(search.get('limit'));
  return {
    state: rawState === 'all' ? 'all' : states.length > 0 ? states : 'active',
    priority: listOf(search.get('priority'), TICKET_PRIORITIES),
    assignee: uuidOr(search.get('assignee')),
    group: uuidOr(search.get('group')),
    branch: uuidOr(search.get('branch')),
    tag: (search.get('tag') ?? '').trim().slice(0, 100),
    source: oneOf<TicketSource | ''>(search.get('source'), TICKET_SOURCES, ''),
    q: (search.get('q') ?? '').trim().slice(0, 500),
    sort: oneOf(search.get('sort'), TICKET_SORTS, DEFAULT_QUERY.sort),
    order: search.get('order') === 'asc' ? 'asc' : 'desc',
    offset: Number.isInteger(offset) && offset > 0 ? Math.min(offset, 1_000_000) : 0,
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_QUERY.limit,
  };
}

/** The address's parameters for a query, defaults left out: `href('/tickets', …)`. */
export function queueToSearch(query: QueueQuery): Record<string, string | null> {
  const d = DEFAULT_QUERY;
  return {
    state: query.state === 'active' ? null : query.state === 'all' ? 'all' : query.state.join(','),
    priority: query.priority.join(',') || null,
    assignee: query.assignee || null,
    group: query.group || null,
    branch: query.branch || null,
    tag: query.tag || null,
    source: query.source || null,
    q: query.q || null,
    sort: query.sort === d.sort ? null : query.sort,
    order: query.order === d.order ? null : query.order,
    offset: query.offset === 0 ? null : String(query.offset),
    limit: query.limit === d.limit ? null : String(query.limit),
  };
}

/** The filters and sort as the hub's list and CSV routes take them (no paging). */
export function hubFilterParams(query: QueueQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.state !== 'all') {
    params.set('state', query.state === 'active' ? 'active' : query.state.join(','));
  }
  if (query.priority.length > 0) params.set('priority', query.priority.join(','));
  for (const key of ['assignee', 'group', 'branch', 'tag', 'source', 'q'] as const) {
    if (query[key] !== '') params.set(key, query[key]);
  }
  params.set('sort', query.sort);
  params.set('order', query.order);
  return params;
}

/** One page of the queue: GET /api/v1/tickets?… — the hub pages, the browser never holds more. */
export function hubListQuery(query: QueueQuery): string {
  const params = hubFilterParams(query);
  params.set('limit', String(query.limit));
  params.set('offset', String(query.offset));
  return params.toString();
}

/** The CSV export of everything the filters match, in the same order. */
export function exportHref(query: QueueQuery): string {
  return `/api/v1/tickets/export.csv?${hubFilterParams(query).toString()}`;
}

/** The same tickets as Excel or PDF, in the reader's language and zone. */
export function fileHref(
  query: QueueQuery,
  format: 'xlsx' | 'pdf',
  lang: string,
  zone: string,
): string {
  const params = hubFilterParams(query);
  params.set('lang', lang);
  params.set('zone', zone);
  return `/api/v1/reports/queue.${format}?${params.toString()}`;
}

/** A change of filter or sort starts again at the first page; paging keeps the rest. */
export function withFilter(query: QueueQuery, change: Partial<QueueQuery>): QueueQuery {
  return { ...query, ...change, offset: 0 };
}

/** How many filters differ from the default (shown on the filter button). */
export function activeFilterCount(query: QueueQuery): number {
  const d = DEFAULT_QUERY;
  let n = 0;
  if (JSON.stringify(query.state) !== JSON.stringify(d.state)) n += 1;
  if (query.priority.length > 0) n += 1;
  for (const key of ['assignee', 'group', 'branch', 'tag', 'source', 'q'] as const) {
    if (query[key] !== '') n += 1;
  }
  return n;
}
