import type { BulkResult } from '../api/types';

export interface BulkFailure {
  id: string;
  /** The ticket's number, when the page still shows it. */
  number: number | null;
  code: string;
  message: string;
}

export interface BulkSummary {
  ok: number;
  failed: BulkFailure[];
}

/** What a bulk action did, per ticket (the hub answers one result per id). */
export function summarizeBulk(
  results: BulkResult[],
  numbers: ReadonlyMap<string, number>,
): BulkSummary {
  const failed: BulkFailure[] = [];
  let ok = 0;
  for (const r of results) {
    if (r.ok) ok += 1;
    else {
      failed.push({
        id: r.id,
        number: numbers.get(r.id) ?? null,
        code: r.error?.code ?? 'BW_ERR_UNKNOWN',
        message: r.error?.message ?? '',
      });
    }
  }
  return { ok, failed };
}

/** Toggles one id in a selection, keeping the order of selection. */
export function toggled(selection: readonly string[], id: string): string[] {
  return selection.includes(id) ? selection.filter((s) => s !== id) : [...selection, id];
}
