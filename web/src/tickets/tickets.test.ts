import { describe, expect, it } from 'vitest';
import type { Branch, Check, Ticket, TicketEvent } from '../api/types';
import { eventsInOrder } from './ticketEvents';
import { buildTicketRows } from './ticketRows';
import { aBranch, aCheck, aTicket, anEvent } from '../api/testing';

function ticket(id: string, number: number, openedAt: string, refs: Partial<Ticket> = {}): Ticket {
  return aTicket({ id, number, subject: `ticket ${number}`, openedAt, ...refs });
}

const branches: Branch[] = [aBranch({ id: 'b1', slug: 'isf', name: 'Isfahan' })];
const checks: Check[] = [
  aCheck({
    id: 'c1',
    agentId: 'a1',
    branchId: 'b1',
    key: 'wan',
    type: 'icmp',
    target: '203.0.113.9',
    state: 'failing',
    stateSince: null,
    lastResult: null,
  }),
];

describe('buildTicketRows', () => {
  it('lists the newest ticket first', () => {
    const rows = buildTicketRows(
      [
        ticket('t1', 1, '2025-03-01T10:00:00Z'),
        ticket('t3', 3, '2025-03-01T12:00:00Z'),
        ticket('t2', 2, '2025-03-01T11:00:00Z'),
      ],
      [],
      [],
    );
    expect(rows.map((row) => row.ticket.number)).toEqual([3, 2, 1]);
  });

  it('orders tickets opened at the same moment by number, highest first', () => {
    const at = '2025-03-01T10:00:00Z';
    const rows = buildTicketRows([ticket('a', 7, at), ticket('b', 9, at)], [], []);
    expect(rows.map((row) => row.ticket.number)).toEqual([9, 7]);
  });

  it('names the branch and the check', () => {
    const [row] = buildTicketRows(
      [ticket('t1', 1, '2025-03-01T10:00:00Z', { branchId: 'b1', checkId: 'c1' })],
      branches,
      checks,
    );
    expect(row?.branchName).toBe('Isfahan');
    expect(row?.checkLabel).toBe('wan · 203.0.113.9');
  });

  it('leaves names empty for a person’s ticket and for references not loaded', () => {
    const rows = buildTicketRows(
      [
        ticket('t1', 1, '2025-03-01T10:00:00Z', { source: 'person' }),
        ticket('t2', 2, '2025-03-01T09:00:00Z', { branchId: 'b-gone', checkId: 'c-gone' }),
      ],
      branches,
      checks,
    );
    expect(rows.map((row) => [row.branchName, row.checkLabel])).toEqual([
      [null, null],
      [null, null],
    ]);
  });
});

describe('eventsInOrder', () => {
  const event = (id: string, at: string): TicketEvent => anEvent({ id, at });

  it('puts the oldest event first', () => {
    const events = [
      event('e3', '2025-03-01T12:00:00Z'),
      event('e1', '2025-03-01T10:00:00Z'),
      event('e2', '2025-03-01T11:00:00Z'),
    ];
    expect(eventsInOrder(events).map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('keeps the hub’s order for events at the same time', () => {
    const at = '2025-03-01T10:00:00Z';
    const events = [
      event('opened', at),
      event('note', at),
      event('earlier', '2025-03-01T09:00:00Z'),
    ];
    expect(eventsInOrder(events).map((e) => e.id)).toEqual(['earlier', 'opened', 'note']);
  });
});
