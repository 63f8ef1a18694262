import { FAILURES_BEFORE_ALERT, type JobHealth, type JobState } from '../core/job-health.js';
import type { Logger } from '../core/logger.js';
import type { AlertTicketRepository } from './alert-ticket.repository.js';
import { write, subjectOf } from './ticket-text.js';
import type { TicketText } from '@branchwatch/api';

/** Fingerprints of the hub jobs' tickets: one active ticket per job (migration 001's index). */
export const JOB_FINGERPRINT = 'hub-job:';

export interface JobAlertResult {
  opened: string[];
  resolved: string[];
}

/**
 * Raises a ticket when a background job of the hub (or a TimescaleDB job) keeps failing — like
 * a failing check, in the default tenant whose admins run the hub — and resolves it when the
 * job succeeds again (docs/hub.md "The hub watches itself").
 */
export class JobAlerts {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly tickets: AlertTicketRepository,
    private readonly jobs: JobHealth,
    private readonly settings: { webUrl?: string },
    private readonly logger: Logger,
  ) {}

  start(seconds: number): void {
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = this.check()
        .catch((err: unknown) => this.logger.error({ err }, 'hub job alerts failed'))
        .finally(() => (this.#running = undefined));
    }, seconds * 1000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One look at every job: opens the tickets of jobs failing too long, resolves the others'. */
  async check(now = new Date()): Promise<JobAlertResult> {
    const result: JobAlertResult = { opened: [], resolved: [] };
    const { jobs } = await this.jobs.list();
    const active = new Map(
      (await this.tickets.findActiveByFingerprintPrefix(JOB_FINGERPRINT)).map((t) => [
        t.fingerprint,
        t,
      ]),
    );
    let tenant: Awaited<ReturnType<AlertTicketRepository['defaultTenant']>> | null = null;
    for (const job of jobs) {
      const fingerprint = `${JOB_FINGERPRINT}${job.name}`;
      const ticket = active.get(fingerprint);
      if (!ticket && job.consecutiveFailures >= FAILURES_BEFORE_ALERT) {
        tenant ??= (await this.tickets.defaultTenant()) ?? null;
        if (!tenant) continue;
        const voice = { language: tenant.language, timeZone: 'UTC', webUrl: this.settings.webUrl };
        const text = failing(job, now);
        const opened = await this.tickets.openAlertTicket({
          tenantId: tenant.id,
          branchId: null,
          agentId: null,
          checkId: null,
          fingerprint,
          alertKind: 'job',
          priority: 'high',
          priorityReason: 'hub job',
          subject: subjectOf(text, voice),
          text: write(text, voice),
          at: now,
        });
        if (opened) {
          result.opened.push(job.name);
          this.logger.warn(
            { job: job.name, failures: job.consecutiveFailures, error: job.lastError },
            'hub job keeps failing: ticket opened',
          );
        }
      } else if (ticket && recovered(job, ticket.openedAt)) {
        const language = await this.tickets.tenantLanguage(ticket.tenantId);
        const voice = { language, timeZone: 'UTC', webUrl: this.settings.webUrl };
        const at = job.lastSuccessAt ?? now;
        const back: TicketText = { kind: 'job_recovered', job: job.name, at: at.toISOString() };
        await this.tickets.addEvent(ticket.id, 'recovered', write(back, voice), at);
        if (!(await this.tickets.hasHumanActivity(ticket.id))) {
          await this.tickets.resolve(
            ticket.id,
            now,
            write({ kind: 'auto_resolved', why: 'job_recovered' }, voice),
          );
          result.resolved.push(job.name);
        }
        this.logger.info({ job: job.name }, 'hub job succeeds again');
      }
    }
    return result;
  }
}

function failing(job: JobState, now: Date): TicketText {
  const since = job.failingSince ?? job.lastFailureAt ?? now;
  return {
    kind: 'job_failing',
    job: job.name,
    target: job.target,
    timescaledb: job.kind === 'timescaledb',
    failures: job.consecutiveFailures,
    since: since.toISOString(),
    error: job.lastError,
  };
}

/** Succeeded since the ticket opened, and not failed since. */
function recovered(job: JobState, openedAt: Date): boolean {
  return (
    job.consecutiveFailures === 0 &&
    job.lastSuccessAt !== null &&
    job.lastSuccessAt.getTime() >= openedAt.getTime() - 1000
  );
}
