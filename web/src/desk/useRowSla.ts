import { useEffect, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { DeskTicket, DeskTicketDetail } from '../api/types';

export interface RowClocks {
  clocks: DeskTicketDetail['clocks'];
  fetchedAt: number;
}

/**
 * The SLA clocks of the tickets on screen. The list route does not carry clocks (they are
 * rebuilt from each ticket's history on read), so each visible active ticket is read once per
 * page load — at most one page (≤ 100) — never the whole queue.
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
    void Promise.all(
      wanted.map(async (id) => {
        try {
          const detail = await api.deskTicket(id);
          return [id, { clocks: detail.clocks, fetchedAt: Date.now() }] as const;
        } catch {
          return null;
        }
      }),
    ).then((entries) => {
      if (!stopped) setClocks(new Map(entries.filter((e) => e !== null)));
    });
    return () => {
      stopped = true;
    };
  }, [api, ids]);
  return clocks;
}
