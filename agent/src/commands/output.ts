import type { ProbeResult } from '@branchwatch/contract';

/** Where a command writes; the CLI passes the process's streams, tests their own. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes: 0 done, 1 the config is unusable, 2 the command line is wrong. */
export const EXIT = { ok: 0, badConfig: 1, usage: 2 } as const;

/** A plain-text table of results, for a person at a terminal. */
export function formatResultsTable(results: readonly ProbeResult[]): string {
  const rows = results.map((r) => [r.check, r.type, r.target, r.status, describe(r)]);
  const header = ['CHECK', 'TYPE', 'TARGET', 'STATUS', 'DETAIL'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function describe(result: ProbeResult): string {
  const fields = Object.entries(result.fields)
    .map(([name, value]) => `${name}=${value ?? '-'}`)
    .join(' ');
  return result.reason ? `${result.reason}; ${fields}` : fields;
}
