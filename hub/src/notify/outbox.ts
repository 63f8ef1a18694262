import type { Logger } from '../core/logger.js';
import type { HubMetrics } from '../core/metrics.js';
import type { ChannelRegistry } from './channel.js';
import type { Delivery, NotifyRepository } from './notify.repository.js';

export interface OutboxOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sendTimeoutMs: number;
  pollMs: number;
}

/**
 * Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a random delay up to
 * base·2^(attempt-1), capped, so that retries of many failed deliveries do not arrive together.
 * Never below half the exponential step, so that a receiver gets some rest.
 */
export function backoffMs(attempt: number, o: Pick<OutboxOptions, 'baseDelayMs' | 'maxDelayMs'>) {
  const step = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (Math.random() * step) / 2);
}

/**
 * Delivers the outbox: claims due rows, sends each through its channel with a deadline, and
 * records the outcome. Runs beside ticket work, never inside it: a slow or failing channel only
 * delays its own deliveries.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private again = false;

  constructor(
    private readonly repo: NotifyRepository,
    private readonly channels: ChannelRegistry,
    private readonly metrics: HubMetrics,
    private readonly options: OutboxOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.metrics.jobs.declare('notify-outbox');
    this.stopped = false;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass now (after an enqueue); a pass already running runs once more. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.metrics.jobs
      .run('notify-outbox', () => this.pass())
      .catch((err: unknown) => this.logger.error({ err }, 'notification outbox pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.schedule();
      });
  }

  private schedule(): void {
    this.timer = setTimeout(() => this.kick(), this.options.pollMs);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    for (let round = 0; round < 100 && !this.stopped; round++) {
      const due = await this.repo.claimDue(20, this.options.sendTimeoutMs * 2 + 1000);
      if (!due.length) return;
      await Promise.all(due.map((d) => this.deliver(d)));
    }
  }

  private async deliver(d: Delivery): Promise<void> {
    const channel = this.channels.get(d.channel);
    const message = { ...d.message, data: { ...d.message.data, deliveryId: d.id } };
    const result = channel
      ? await channel
          .send(message, AbortSignal.timeout(this.options.sendTimeoutMs))
          .catch((err: unknown) => ({ ok: false as const, error: String(err), retry: true }))
      : { ok: false as const, error: `channel ${d.channel} is not configured`, retry: true };
    if (result.ok) {
      await this.repo.markSent(d.id);
      this.metrics.notifyDeliveries.inc({ channel: d.channel, outcome: 'sent' });
      return;
    }
    const attempt = d.attempts + 1;
    const dead = !result.retry || attempt >= this.options.maxAttempts;
    const next = dead ? null : new Date(Date.now() + backoffMs(attempt, this.options));
    await this.repo.markFailed(d.id, result.error, next);
    this.metrics.notifyDeliveries.inc({ channel: d.channel, outcome: dead ? 'dead' : 'failed' });
    this.logger.warn(
      { delivery: d.id, channel: d.channel, attempt, error: result.error, dead },
      'notification delivery failed',
    );
  }
}
