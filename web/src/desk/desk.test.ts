import { describe, expect, it } from 'vitest';
import type { SlaClockView } from '../api/types';
import { matchRoute } from '../app/router';
import { summarizeBulk, toggled } from './bulkSummary';
import { countdown, dueWords, durationMessage, slaBadge } from './countdown';
import {
  DEFAULT_QUERY,
  activeFilterCount,
  exportHref,
  hubListQuery,
  queueFromSearch,
  queueToSearch,
  withFilter,
} from './queueQuery';
import { loadViews, storeViews, viewsKey, withView, withoutView } from './savedViews';
import { chartHref, nextStates } from './workflow';

const clock = (over: Partial<SlaClockView> = {}): SlaClockView => ({
  policyId: 'p',
  status: 'running',
  targetMs: 3_600_000,
  elapsedMs: 0,
  remainingMs: 3_600_000,
  deadline: '2026-11-21T12:00:00.000Z',
  paused: false,
  pausedMs: 0,
  warningAt: null,
  escalations: [],
  ...over,
});
const at = (iso: string) => Date.parse(iso);

describe('queue query ↔ address', () => {
  it('round-trips every filter through the address', () => {
    const query = {
      ...DEFAULT_QUERY,
      state: ['open', 'waiting'] as const,
      priority: ['urgent' as const],
      assignee: '0b6f2c1e-8a4d-4f3e-9b1a-2c3d4e5f6a7b',
      tag: 'wan',
      source: 'alert' as const,
      q: 'tunnel down',
      sort: 'priority' as const,
      order: 'asc' as const,
      offset: 50,
      limit: 50,
    };
    const search = new URLSearchParams(
      queueToSearch({ ...query, state: [...query.state] }) as never,
    );
    for (const [k, v] of [...search]) if (v === 'null') search.delete(k);
    const back = queueFromSearch(
      new URLSearchParams(
        Object.entries(queueToSearch({ ...query, state: [...query.state] })).filter(
          (e): e is [string, string] => e[1] !== null,
        ),
      ),
    );
    expect(back).toEqual({ ...query, state: ['open', 'waiting'] });
  });

  it('leaves defaults out of the address and drops what it does not know', () => {
    expect(Object.values(queueToSearch(DEFAULT_QUERY)).every((v) => v === null)).toBe(true);
    const q = queueFromSearch(
      new URLSearchParams('state=open,bogus&priority=x&assignee=me&sort=drop&limit=7&offset=-3'),
    );
    expect(q).toEqual({ ...DEFAULT_QUERY, state: ['open'] });
    expect(queueFromSearch(new URLSearchParams('state=all')).state).toBe('all');
  });

  it('asks the hub for one page with the filters, and exports without paging', () => {
    const q = { ...DEFAULT_QUERY, priority: ['high' as const], q: 'vpn', offset: 25 };
    expect(hubListQuery(q)).toBe(
      'state=active&priority=high&q=vpn&sort=opened_at&order=desc&limit=25&offset=25',
    );
    expect(hubListQuery({ ...DEFAULT_QUERY, state: 'all' })).toBe(
      'sort=opened_at&order=desc&limit=25&offset=0',
    );
    expect(exportHref(q)).toBe(
      '/api/v1/tickets/export.csv?state=active&priority=high&q=vpn&sort=opened_at&order=desc',
    );
  });

  it('goes back to the first page when a filter changes and counts active filters', () => {
    const q = withFilter({ ...DEFAULT_QUERY, offset: 75 }, { tag: 'wan' });
    expect(q.offset).toBe(0);
    expect(activeFilterCount(q)).toBe(1);
    expect(activeFilterCount({ ...q, state: 'all', q: 'x' })).toBe(3);
  });
});

describe('SLA countdown', () => {
  it('counts down from the deadline each second', () => {
    const c = clock();
    expect(countdown(c, 0, at('2026-11-21T11:00:00Z'))).toEqual({
      phase: 'running',
      remainingMs: 3_600_000,
    });
    expect(countdown(c, 0, at('2026-11-21T11:59:59Z')).remainingMs).toBe(1000);
    expect(countdown(c, 0, at('2026-11-21T11:59:59Z')).phase).toBe('dueSoon');
    expect(countdown(c, 0, at('2026-11-21T12:00:01Z'))).toEqual({
      phase: 'breached',
      remainingMs: -1000,
    });
  });

  it('is due soon from the hub’s warning time, holds still when paused, stops when met', () => {
    const warned = clock({ warningAt: '2026-11-21T11:10:00Z' });
    expect(countdown(warned, 0, at('2026-11-21T11:09:59Z')).phase).toBe('running');
    expect(countdown(warned, 0, at('2026-11-21T11:10:00Z')).phase).toBe('dueSoon');
    const paused = clock({ status: 'paused', paused: true, deadline: null, remainingMs: 600_000 });
    expect(countdown(paused, 0, at('2026-11-22T00:00:00Z'))).toEqual({
      phase: 'paused',
      remainingMs: 600_000,
    });
    expect(countdown(clock({ status: 'met' }), 0, 0)).toEqual({ phase: 'met', remainingMs: null });
    const noDeadline = clock({ deadline: null, remainingMs: 10_000 });
    expect(countdown(noDeadline, 1000, 4000).remainingMs).toBe(7000);
  });

  it('reads the two largest units', () => {
    expect(durationMessage(2 * 86_400_000 + 3 * 3_600_000 + 5000)).toEqual({
      key: 'desk.duration.dh',
      vars: { d: 2, h: 3 },
    });
    expect(durationMessage(-(3_600_000 + 5 * 60_000 + 9000))).toEqual({
      key: 'desk.duration.hm',
      vars: { h: 1, m: 5 },
    });
    expect(durationMessage(4 * 60_000 + 9999)).toEqual({
      key: 'desk.duration.ms',
      vars: { m: 4, s: 9 },
    });
  });

  it('badges the worse clock, only when it needs attention', () => {
    const now = at('2026-11-21T11:00:00Z');
    expect(slaBadge({ firstResponse: clock(), resolution: null }, 0, now)).toBeNull();
    expect(
      slaBadge(
        { firstResponse: clock({ status: 'met' }), resolution: clock({ status: 'breached' }) },
        0,
        now,
      ),
    ).toBe('breached');
    expect(
      slaBadge(
        { firstResponse: clock({ deadline: '2026-11-21T11:05:00Z' }), resolution: clock() },
        0,
        now,
      ),
    ).toBe('dueSoon');
  });
});

describe('the queue says when a ticket is due', () => {
  const now = at('2026-11-21T11:00:00Z');
  it('in words, to the minute: due in, breached ago, paused, met', () => {
    const running = dueWords(clock({ deadline: '2026-11-21T13:10:30Z' }), 0, now);
    expect(running).toMatchObject({
      key: 'desk.due.in',
      phase: 'running',
      time: { key: 'desk.duration.hm', vars: { h: 2, m: 10 } },
    });
    const late = dueWords(clock({ deadline: '2026-11-21T10:25:00Z' }), 0, now);
    expect(late).toMatchObject({
      key: 'desk.due.breached',
      time: { key: 'desk.duration.m', vars: { m: 35 } },
      remainingMs: -35 * 60_000,
    });
    const paused = dueWords(
      clock({ status: 'paused', paused: true, remainingMs: 3 * 86_400_000 + 7_200_000 }),
      0,
      now,
    );
    expect(paused).toMatchObject({
      key: 'desk.due.paused',
      time: { key: 'desk.duration.dh', vars: { d: 3, h: 2 } },
    });
    expect(dueWords(clock({ status: 'met' }), 0, now)).toMatchObject({
      key: 'desk.due.met',
      time: null,
    });
  });
});

describe('saved views', () => {
  it('keeps one list per user in storage, replacing a view of the same name', () => {
    const data = new Map<string, string>();
    const storage = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
    };
    let views = withView([], ' Urgent ', 'priority=urgent&offset=50');
    views = withView(views, 'Alerts', 'source=alert');
    views = withView(views, 'Urgent', 'priority=urgent,high');
    expect(views).toEqual([
      { name: 'Alerts', search: 'source=alert' },
      { name: 'Urgent', search: 'priority=urgent%2Chigh' },
    ]);
    storeViews(storage, 'u1', views);
    expect(loadViews(storage, 'u1')).toEqual(views);
    expect(loadViews(storage, 'u2')).toEqual([]);
    expect(withoutView(views, 'Alerts')).toEqual([views[1]]);
    data.set(viewsKey('u3'), '{not json');
    expect(loadViews(storage, 'u3')).toEqual([]);
    expect(withView(views, '  ', 'q=x')).toBe(views);
  });
});

describe('bulk actions', () => {
  it('summarizes per-ticket results with the numbers shown', () => {
    const summary = summarizeBulk(
      [
        { id: 'a', ok: true },
        { id: 'b', ok: false, error: { code: 'BW_ERR_CONFLICT', message: 'closed is final' } },
        { id: 'c', ok: true },
      ],
      new Map([['b', 42]]),
    );
    expect(summary).toEqual({
      ok: 2,
      failed: [{ id: 'b', number: 42, code: 'BW_ERR_CONFLICT', message: 'closed is final' }],
    });
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
    expect(toggled(['b'], 'a')).toEqual(['b', 'a']);
  });
});

describe('workflow and chart link', () => {
  it('offers the hub’s transitions and links to the chart of the alert', () => {
    expect(nextStates('closed')).toEqual([]);
    expect(nextStates('resolved')).toEqual(['open', 'in_progress', 'closed']);
    const ticket = {
      branchId: 'b1',
      checkId: 'c1',
      openedAt: '2026-11-21T10:00:00.000Z',
      resolvedAt: '2026-11-21T10:30:00.000Z',
    };
    expect(chartHref(ticket, at('2026-11-21T12:00:00Z'))).toBe(
      '/branches/b1?check=c1&from=2026-11-21T09%3A00%3A00.000Z&to=2026-11-21T11%3A30%3A00.000Z',
    );
    expect(chartHref({ ...ticket, resolvedAt: null }, at('2026-11-21T10:10:00Z'))).toContain(
      'to=2026-11-21T10%3A10%3A00.000Z',
    );
    expect(chartHref({ ...ticket, checkId: null }, 0)).toBeNull();
  });
});

describe('routes', () => {
  it('maps /tickets and /tickets/<id> to the desk pages', () => {
    expect(matchRoute('/tickets')).toEqual({ page: 'tickets' });
    expect(matchRoute('/tickets/')).toEqual({ page: 'tickets' });
    expect(matchRoute('/tickets/abc-1')).toEqual({ page: 'ticket', ticketId: 'abc-1' });
    expect(matchRoute('/tickets/%E0%A4%A')).toEqual({ page: 'notFound' });
    expect(matchRoute('/tickets/a/b')).toEqual({ page: 'notFound' });
  });
});
