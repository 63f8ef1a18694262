import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JobHealth } from './job-health.js';

/** Why ingest refused a message: the contract's decode codes plus the broker's own checks. */
export type RejectReason =
  | 'too_large'
  | 'malformed_json'
  | 'unsupported_version'
  | 'invalid'
  | 'agent_mismatch'
  | 'topic_denied'
  | 'bad_credentials'
  | 'client_id_mismatch'
  | 'time_out_of_range'
  | 'too_many_checks'
  | 'packet_too_large'
  | 'too_many_connections'
  | 'auth_throttled';

export interface OutboxCount {
  channel: string;
  pending: number;
  retrying: number;
  dead: number;
  /** When the oldest delivery still waiting (pending or retrying) was queued. */
  oldestWaitingAt: Date | null;
}

/** A connection pool's connections: in use, idle, and requests waiting for one. */
export interface PoolCounts {
  used: number;
  free: number;
  pending: number;
}

/** One registry per hub (not prom-client's global), so that tests may run several hubs. */
export class HubMetrics {
  readonly registry = new Registry();

  /** The hub's background jobs and TimescaleDB's, as bw_job_* (core/job-health.ts). */
  readonly jobs = new JobHealth(this.registry);

  readonly batches = new Counter({
    name: 'bw_ingest_batches_total',
    help: 'Result batches received, by outcome (accepted, duplicate).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly results = new Counter({
    name: 'bw_ingest_results_total',
    help: 'Probe results stored.',
    registers: [this.registry],
  });

  readonly rejected = new Counter({
    name: 'bw_ingest_rejected_total',
    help: 'Messages and connections refused, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly repaired = new Counter({
    name: 'bw_ingest_repaired_total',
    help: 'Messages stored after a repair, by reason (nul_character: NUL in text, replaced by U+FFFD).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly expired = new Counter({
    name: 'bw_ingest_expired_results_total',
    help: 'Results not stored because they are older than the retention of raw rounds.',
    registers: [this.registry],
  });

  readonly firstVerdictsDropped = new Counter({
    name: 'bw_ingest_first_verdicts_dropped_total',
    help: 'First verdicts (unknown to ok) of acknowledged batches not emitted because the hub stopped first.',
    registers: [this.registry],
  });

  readonly ingestErrors = new Counter({
    name: 'bw_ingest_errors_total',
    help: 'Batches not stored because of a database error (the agent resends them).',
    registers: [this.registry],
  });

  /** Reads ingest's queue when /metrics is scraped (set by ingest). */
  private ingestQueueState: (() => { held: number; waiting: number }) | undefined;

  readonly ingestQueue = new Gauge({
    name: 'bw_ingest_queue_batches',
    help: 'Results batches in ingest now: held (arrived, not yet acknowledged; at most BW_INGEST_QUEUE_BATCHES) and waiting undecoded for room (backpressure).',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => {
      const state = this.ingestQueueState?.();
      this.ingestQueue.set({ state: 'held' }, state?.held ?? 0);
      this.ingestQueue.set({ state: 'waiting' }, state?.waiting ?? 0);
    },
  });

  /**
   * Where a results batch's time in the hub goes, from its arrival at ingest to its PUBACK:
   * `admission` waiting undecoded for room in the bounded queue, `group` decoded and waiting
   * for its group's transaction to begin, `commit` that transaction, `total` the whole way.
   * What an agent measures beyond `total` is the network's and its own (docs/benchmarks.md).
   */
  readonly ingestStage = new Histogram({
    name: 'bw_ingest_batch_seconds',
    help: 'Seconds a results batch spends in each stage of ingest, from its arrival to its PUBACK (stage: admission, group, commit, total).',
    labelNames: ['stage'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly ingestQueueFull = new Counter({
    name: 'bw_ingest_queue_full_total',
    help: 'Results batches that found the ingest queue full and waited for room.',
    registers: [this.registry],
  });

  watchIngestQueue(read: () => { held: number; waiting: number }): void {
    this.ingestQueueState = read;
  }

  readonly agentsConnected = new Gauge({
    name: 'bw_mqtt_agents_connected',
    help: 'Agents connected to the embedded broker.',
    registers: [this.registry],
  });

  readonly tickets = new Counter({
    name: 'bw_alert_tickets_total',
    help: 'Tickets opened and resolved automatically from check state changes.',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });

  // Alerts (docs/alerts.md): failing checks that opened no ticket of their own, and why.
  readonly alertsSuppressed = new Counter({
    name: 'bw_alerts_suppressed_total',
    help: 'Alerts that opened no ticket: maintenance, flapping, or attached to a root cause.',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });

  // Notifications (docs/notifications.md) — added by the notify feature.
  readonly notifyDeliveries = new Counter({
    name: 'bw_notify_deliveries_total',
    help: 'Notification delivery attempts, by channel and outcome (sent, failed, dead).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Reads the outbox's counts when /metrics is scraped (set by the notify feature). */
  private outboxCounts: (() => Promise<OutboxCount[]>) | undefined;

  readonly notifyOutbox = new Gauge({
    name: 'bw_notify_outbox',
    help: 'Deliveries in the outbox now, by channel and state (pending, retrying, dead): a failing channel shows as retrying deliveries and dead letters until someone acts.',
    labelNames: ['channel', 'state'] as const,
    registers: [this.registry],
    collect: async () => {
      if (!this.outboxCounts) return;
      this.notifyOutbox.reset();
      for (const c of await this.outboxCounts()) {
        for (const state of ['pending', 'retrying', 'dead'] as const)
          this.notifyOutbox.set({ channel: c.channel, state }, c[state]);
      }
    },
  });

  readonly notifyOutboxOldest = new Gauge({
    name: 'bw_notify_outbox_oldest_waiting_seconds',
    help: 'Age of the oldest delivery not sent yet (pending or retrying), by channel; 0 when none waits.',
    labelNames: ['channel'] as const,
    registers: [this.registry],
    collect: async () => {
      if (!this.outboxCounts) return;
      this.notifyOutboxOldest.reset();
      for (const c of await this.outboxCounts()) {
        const age = c.oldestWaitingAt ? (Date.now() - c.oldestWaitingAt.getTime()) / 1000 : 0;
        this.notifyOutboxOldest.set({ channel: c.channel }, Math.max(0, age));
      }
    },
  });

  /** The outbox's counts now (the admin health page); empty before notify started. */
  async outbox(): Promise<OutboxCount[]> {
    return this.outboxCounts ? this.outboxCounts() : [];
  }

  watchOutbox(counts: () => Promise<OutboxCount[]>): void {
    this.outboxCounts = counts;
  }

  /**
   * How long queries waited for a connection, per pool: API requests have a pool of their own
   * (`api`), apart from ingest, event listeners and jobs (`work`), so that neither can make
   * the other wait (docs/hub.md, "One client cannot stall the hub").
   */
  readonly databasePoolWait = new Histogram({
    name: 'bw_db_pool_wait_seconds',
    help: 'Seconds a query waited for a database connection, by pool (api: API requests; work: ingest, event listeners and jobs).',
    labelNames: ['pool'] as const,
    buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30],
    registers: [this.registry],
  });

  /** Reads the embedded database's state when /metrics is scraped (app/hub.ts). */
  private databaseHealth: (() => { up: boolean; restarts: number }) | undefined;

  readonly embeddedDatabase = new Gauge({
    name: 'bw_embedded_database',
    help: 'The embedded PostgreSQL the hub runs: up (1 or 0), and restarts since the hub started (state="restarts").',
    labelNames: ['state'] as const,
    registers: [this.registry],
    collect: () => {
      if (!this.databaseHealth) return;
      const { up, restarts } = this.databaseHealth();
      this.embeddedDatabase.set({ state: 'up' }, up ? 1 : 0);
      this.embeddedDatabase.set({ state: 'restarts' }, restarts);
    },
  });

  watchEmbeddedDatabase(health: () => { up: boolean; restarts: number }): void {
    this.databaseHealth = health;
  }

  /** The hub's connection pools by name, read when /metrics is scraped (app/hub.ts). */
  private readonly pools = new Map<string, () => PoolCounts>();

  readonly databasePool = new Gauge({
    name: 'bw_db_pool_connections',
    help: "Connections of each of the hub's database pools: in use, idle (free), and requests waiting for one (pending).",
    labelNames: ['pool', 'state'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [pool, counts] of this.pools) {
        const { used, free, pending } = counts();
        this.databasePool.set({ pool, state: 'used' }, used);
        this.databasePool.set({ pool, state: 'free' }, free);
        this.databasePool.set({ pool, state: 'pending' }, pending);
      }
    },
  });

  watchPool(name: string, counts: () => PoolCounts): void {
    this.pools.set(name, counts);
  }

  /**
   * bw_malware_scanner_up, asked of clamd when /metrics is scraped (app/hub.ts); registered only
   * when a scanner is configured, so a hub without one does not report a scanner down.
   */
  watchScanner(up: () => Promise<boolean>): void {
    const gauge: Gauge = new Gauge({
      name: 'bw_malware_scanner_up',
      help: 'Whether the malware scanner (clamd) answered a PING at this scrape (1 or 0).',
      registers: [this.registry],
      collect: async () => {
        gauge.set((await up().catch(() => false)) ? 1 : 0);
      },
    });
  }

  readonly notifyExported = new Counter({
    name: 'bw_notify_influx_points_total',
    help: 'Results exported to InfluxDB, by outcome (written, failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    for (const outcome of ['accepted', 'duplicate']) this.batches.inc({ outcome }, 0);
    for (const stage of ['admission', 'group', 'commit', 'total']) this.ingestStage.zero({ stage });
    const reasons: RejectReason[] = [
      'too_large',
      'malformed_json',
      'unsupported_version',
      'invalid',
      'agent_mismatch',
      'topic_denied',
      'bad_credentials',
      'client_id_mismatch',
      'time_out_of_range',
      'too_many_checks',
      'packet_too_large',
      'too_many_connections',
      'auth_throttled',
    ];
    for (const reason of reasons) this.rejected.inc({ reason }, 0);
    this.repaired.inc({ reason: 'nul_character' }, 0);
    for (const pool of ['api', 'work']) this.databasePoolWait.zero({ pool });
  }
}
