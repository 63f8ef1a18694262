/**
 * Day partitions of `check_results` on plain PostgreSQL (UTC days). Names and bounds are part
 * of the schema: the migration that made the table and the maintenance job both use these.
 */
const DAY_MS = 86400_000;

export function utcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/** e.g. check_results_p20261121 */
export function partitionName(day: Date): string {
  return `check_results_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The UTC day a partition name stands for, or null for another table. */
export function partitionDay(name: string): Date | null {
  const m = /^check_results_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`) : null;
}

/** DDL making the partition of the UTC day `day` unless it exists. */
export function partitionDdl(day: Date): string {
  const from = day.toISOString().slice(0, 10);
  const to = new Date(day.getTime() + DAY_MS).toISOString().slice(0, 10);
  return `CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF check_results
          FOR VALUES FROM ('${from} 00:00:00+00') TO ('${to} 00:00:00+00')`;
}

export function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * DAY_MS);
}
