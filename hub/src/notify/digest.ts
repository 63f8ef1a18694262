import type { SlaClocks } from '@branchwatch/sla';
import type { Logger } from '../core/logger.js';
import type { Language } from './channel.js';
import { digestSla, type DigestSla } from './digest-sla.js';
import type { NotifyDispatcher } from './dispatcher.js';
import { localTime } from './local-time.js';
import type { NotifyRepository, Preferences } from './notify.repository.js';
import type { NotifySourceRepository } from './notify-source.repository.js';
import { digestLine, type TemplateValues } from './templates.js';

// Often enough to fall inside the digest hour however the ticks are placed.
const CHECK_EVERY_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export interface DigestDeps {
  prefs: NotifyRepository;
  source: NotifySourceRepository;
  dispatcher: NotifyDispatcher;
  /** A ticket's SLA clocks as of `now` (TicketService.get in the hub). */
  clocksOf: (ticketId: string, now: Date) => Promise<SlaClocks>;
}

interface DigestTicket {
  id: string;
  number: number;
  subject: string;
  priority: string;
}

/**
 * The daily digest (docs/notifications.md): at `hour` o'clock in each user's own time zone,
 * users whose preferences list `digest.daily` get their open tickets with each one's SLA
 * state, in their language; tenant subscriptions to it get the tenant's open tickets at that
 * hour UTC. The outbox's unique key holds the recipient and the local date, so restarts, the
 * several ticks inside the hour and several hub processes send it once a day.
 *
 * `runAt(now)` is the whole job for one instant: the timer calls it with the clock, tests with
 * the instant they want to see.
 */
export class DailyDigest {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: DigestDeps,
    private readonly hour: number,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.runAt(this.clock()).catch((err: unknown) =>
        this.logger.error({ err }, 'daily digest failed'),
      );
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Queues the digests due at `now`; returns how many deliveries were new. */
  async runAt(now: Date): Promise<number> {
    let added = 0;
    for (const user of await this.deps.prefs.subscribedUsers('digest.daily')) {
      const local = localTime(now, user.timeZone);
      if (local.hour === this.hour) added += await this.toUser(user, local.date, now);
    }
    if (now.getUTCHours() === this.hour) added += await this.toSubscriptions(now);
    if (added) this.deps.dispatcher.kick();
    return added;
  }

  private async toUser(
    user: Preferences & { tenantId: string | null },
    date: string,
    now: Date,
  ): Promise<number> {
    const key = `digest:user:${user.userId}:${date}`;
    // Cheap check first: the other ticks of the hour find it queued and skip the SLA work.
    if (await this.deps.dispatcher.queuedFor(key, user)) return 0;
    const mine = await this.deps.source.openTicketsOf(user.userId);
    const counts = await this.deps.source.digest(user.tenantId, new Date(now.getTime() - DAY_MS));
    const lines = await this.lines(mine.tickets, now, user.timeZone);
    return this.deps.dispatcher.toUser(
      {
        event: 'digest.daily',
        // A tenant-less admin's digest belongs to no tenant.
        tenantId: user.tenantId,
        key,
        values: { date, open: mine.count, opened: counts.opened, resolved: counts.resolved },
        localized: (language) => ({ list: lines(language) }),
      },
      user,
      now,
    );
  }

  private async toSubscriptions(now: Date): Promise<number> {
    const date = now.toISOString().slice(0, 10);
    let added = 0;
    for (const tenantId of await this.deps.source.tenantIds()) {
      const d = await this.deps.source.digest(tenantId, new Date(now.getTime() - DAY_MS));
      const lines = await this.lines(d.open, now, 'UTC');
      added += await this.deps.dispatcher.toSubscriptions({
        event: 'digest.daily',
        tenantId,
        key: `digest:${tenantId}:${date}`,
        values: { date, open: d.openCount, opened: d.opened, resolved: d.resolved },
        localized: (language) => ({ list: lines(language) }),
      });
    }
    return added;
  }

  /** Each ticket's SLA state as of `now`, to be written in whichever language is asked. */
  private async lines(tickets: DigestTicket[], now: Date, timeZone: string) {
    const states: { ticket: DigestTicket; sla: DigestSla }[] = [];
    for (const ticket of tickets) {
      states.push({ ticket, sla: digestSla(await this.deps.clocksOf(ticket.id, now)) });
    }
    return (language: Language): TemplateValues[string] =>
      states
        .map(({ ticket, sla }) =>
          digestLine(
            language,
            ticket,
            sla,
            sla.state !== 'none' && sla.deadline ? localTime(sla.deadline, timeZone).text : '',
          ),
        )
        .join('\n');
  }
}
