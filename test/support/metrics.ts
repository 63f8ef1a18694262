/** Reads one sample from a Prometheus text page, e.g. `bw_ingest_rejected_total{reason="invalid"}`. */
export async function metric(baseUrl: string, series: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`metric ${series} not found`);
  return Number(line.slice(series.length + 1));
}
