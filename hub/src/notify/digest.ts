import type { Logger } from '../logger.js';
import type { NotifyDispatcher } from './dispatcher.js';
import type { NotifySourceRepository } from './notify-source.repository.js';

const CHECK_EVERY_MS = 10 * 60_000;

/**
 * The daily digest: once a day, at the configured UTC hour, each tenant's open tickets and the
 * last day's counts go to the subscriptions and users that asked for `digest.daily`. The
 * outbox key holds the date, so several hub processes or restarts still send it once.
 */
export class DailyDigest {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: NotifySourceRepository,
    private readonly dispatcher: NotifyDispatcher,
    private readonly hour: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (new Date().getUTCHours() !== this.hour) return;
      this.send().catch((err: unknown) => this.logger.error({ err }, 'daily digest failed'));
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async send(now = new Date()): Promise<number> {
    const since = new Date(now.getTime() - 86_400_000);
    const day = now.toISOString().slice(0, 10);
    let added = 0;
    for (const tenantId of await this.source.tenantIds()) {
      const d = await this.source.digest(tenantId, since);
      const list = d.open.map((t) => `#${t.number} [${t.priority}] ${t.subject}`).join('\n');
      added += await this.dispatcher.fanOut({
        event: 'digest.daily',
        tenantId,
        key: `digest:${tenantId}:${day}`,
        values: { open: d.openCount, opened: d.opened, resolved: d.resolved, list },
      });
    }
    return added;
  }
}
