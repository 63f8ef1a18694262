import type { ProbeResult } from '@branchwatch/contract';

/** Where a command writes; the CLI passes the process's streams, tests their own. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/** The process's exit codes (70 and 75 as in sysexits.h: EX_SOFTWARE, EX_TEMPFAIL). */
export const EXIT = {
  ok: 0,
  badConfig: 1,
  usage: 2,
  internal: 70,
  restart: 75,
  interrupted: 130,
} as const;

/** What each exit code means, for `--help` and agent/README.md. */
export const EXIT_CODES: Record<(typeof EXIT)[keyof typeof EXIT], string> = {
  [EXIT.ok]: 'done',
  [EXIT.badConfig]:
    'the config file is missing or invalid; enroll: not enrolled (token refused, hub unreachable, already enrolled)',
  [EXIT.usage]: 'the command line is wrong',
  [EXIT.internal]: 'a bug: the agent failed in a way it does not expect (stack on stderr)',
  [EXIT.restart]:
    'run: start the agent again (an update was installed, or did not connect in time)',
  [EXIT.interrupted]: 'run: a second SIGTERM or SIGINT cut the clean stop short',
};

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
