import type { Point, WriteApi } from '@influxdata/influxdb-client';
import type { ProbeResult } from '@branchwatch/contract';
import type { Logger } from '../../core/logger.js';
import type { HubMetrics } from '../../core/metrics.js';
import type { AgentRow } from '../../fleet/agent.repository.js';
import type { IngestService } from '../../ingest/ingest.service.js';

export interface InfluxSettings {
  url: string;
  token: string;
  org: string;
  bucket: string;
  flushMs: number;
}

/**
 * One point per result: measurement `bw_<probe type>`, tags tenant/branch/agent/check, the
 * probe's numeric fields plus `ok` (1/0). Booleans become 1/0; text and nulls are left out,
 * since a line-protocol field must have a value.
 */
function toPoint(
  PointClass: typeof Point,
  address: AgentRow['address'],
  result: ProbeResult,
): Point {
  const point = new PointClass(`bw_${result.type}`)
    .tag('tenant', address.tenant)
    .tag('branch', address.branch)
    .tag('agent', address.agent)
    .tag('check', result.check)
    .intField('ok', result.status === 'ok' ? 1 : 0)
    .timestamp(new Date(result.at));
  for (const [name, value] of Object.entries(result.fields as Record<string, unknown>)) {
    if (typeof value === 'number' && Number.isFinite(value)) point.floatField(name, value);
    else if (typeof value === 'boolean') point.intField(name, value ? 1 : 0);
  }
  return point;
}

/**
 * Exports stored results to InfluxDB in batches. The client buffers and retries on its own;
 * ingest never waits for it (writes are queued, flushed every `flushMs` or 1000 points).
 *
 * The client library is loaded only when an export is configured, that is when this class is
 * made: a hub without InfluxDB never loads it (docs/benchmarks.md, "Time to chart and the idle
 * hub"). Batches accepted while it loads wait for it, in order.
 */
export class InfluxExporter {
  private readonly writer: Promise<{ api: WriteApi; Point: typeof Point } | undefined>;

  constructor(
    settings: InfluxSettings,
    private readonly metrics: HubMetrics,
    private readonly logger: Logger,
  ) {
    this.writer = import('@influxdata/influxdb-client').then(
      ({ InfluxDB, Point }) => ({
        Point,
        api: new InfluxDB({ url: settings.url, token: settings.token }).getWriteApi(
          settings.org,
          settings.bucket,
          'ms',
          {
            batchSize: 1000,
            flushInterval: settings.flushMs,
            maxRetries: 5,
            maxBufferLines: 100_000,
            writeSuccess: (lines) =>
              this.metrics.notifyExported.inc({ outcome: 'written' }, lines.length),
            writeFailed: (err, lines, attempt, expires) => {
              this.logger.warn(
                { err: err.message, lines: lines.length, attempt },
                'InfluxDB write failed',
              );
              if (Date.now() >= expires || attempt > 5)
                this.metrics.notifyExported.inc({ outcome: 'failed' }, lines.length);
            },
          },
        ),
      }),
      (err: unknown) => {
        this.logger.error({ err }, 'InfluxDB client could not be loaded: nothing is exported');
        return undefined;
      },
    );
  }

  write(agent: AgentRow, results: ProbeResult[]): void {
    void this.writer.then((w) => {
      if (!w) return;
      try {
        w.api.writePoints(results.map((r) => toPoint(w.Point, agent.address, r)));
      } catch (err) {
        this.logger.warn({ err }, 'InfluxDB export skipped a batch');
      }
    });
  }

  async flush(): Promise<void> {
    await (await this.writer)?.api.flush();
  }

  async close(): Promise<void> {
    await (
      await this.writer
    )?.api
      .close()
      .catch((err: unknown) => this.logger.warn({ err }, 'InfluxDB close failed'));
  }

  /** Exports every batch ingest accepts, after its commit; duplicates are not exported twice. */
  observe(ingest: IngestService): void {
    const store = ingest.storeBatch.bind(ingest);
    ingest.storeBatch = async (agent, batch) => {
      const outcome = await store(agent, batch);
      if (outcome === 'accepted') this.write(agent, batch.results);
      return outcome;
    };
  }
}
