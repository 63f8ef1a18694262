import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { DeskTicket, DeskTicketDetail } from '../api/types';

export interface RowClocks {
  clocks: DeskTicketDetail['clocks'];
  fetchedAt: number;
}

/**
 * Reads at a time: a browser opens about six connections to one host, one is the live stream,
 * and the queue's next page must never wait behind a page's worth of clock reads.
 */
const CONCURRENT_READS = 2;

/**
 * The SLA clocks of the tickets on screen. The list route does not carry clocks (they are
 * rebuilt from each ticket's history on read), so each visible active ticket is read once per
 * page load — at most one page (≤ 100) — never the whole queue; a few at a time, and none
 * started once the page has moved on.
 */
export function useRowSla(items: DeskTicket[] | null): ReadonlyMap<string, RowClocks> {
  const api = useApi();
  const [clocks, setClocks] = useState<ReadonlyMap<string, RowClocks>>(new Map());
  const ids = (items ?? [])
    .filter((t) => t.state !== 'resolved' && t.state !== 'closed')
    .map((t) => `${t.id}@${t.updatedAt}`)
    .join(',');
  useEffect(() => {
    let stopped = false;
    const wanted = ids === '' ? [] : ids.split(',').map((s) => s.split('@')[0]!);
    const found = new Map<string, RowClocks>();
    const worker = async () => {
      for (let id = wanted.shift(); id !== undefined && !stopped; id = wanted.shift()) {
        try {
          const detail = await api.deskTicket(id);
          found.set(id, { clocks: detail.clocks, fetchedAt: Date.now() });
        } catch {
          // A ticket gone or forbidden shows no clock.
        }
      }
    };
    void Promise.all(Array.from({ length: CONCURRENT_READS }, worker)).then(() => {
      if (!stopped) setClocks(new Map(found));
    });
    return () => {
      stopped = true;
    };
  }, [api, ids]);
  return clocks;
}
