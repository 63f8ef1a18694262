import { createHash } from 'node:crypto';
import type { EventBus } from '../core/events.js';
import type { JobHealth } from '../core/job-health.js';
import type { Logger } from '../core/logger.js';
import { randomSecret } from '../core/random-secret.js';
import type { Database } from '../db/database.js';
import { runExclusively } from '../db/job-lock.js';
import { apiError, conflict, notFound } from '../http/errors.js';
import { fieldChanges, type AuditService } from '../identity/audit/audit.service.js';
import { hashPassword } from '../identity/password.js';
import type { ErasureCounts, PersonalDataRepository } from './personal-data.repository.js';
import type {
  RetentionCounts,
  RetentionCutoffs,
  RetentionPolicy,
  RetentionRepository,
} from './retention.repository.js';

const DAY_MS = 86_400_000;
export const RETENTION_JOB = 'retention';

/** Who asks: an admin of one tenant, or of every tenant (tenantId null). */
export interface PrivacyActor {
  id: string;
  tenantId: string | null;
}

export interface RetentionPreview {
  policy: RetentionPolicy;
  /** The hub-wide days of raw rounds, which a tenant may shorten but not lengthen. */
  hubRoundsDays: number;
  /** Before these moments each kind is removed; null: kept. */
  cutoffs: { [K in keyof RetentionCutoffs]-?: Date | null };
  counts: RetentionCounts;
}

/**
 * Retention per tenant and a person's data handed over or erased (docs/privacy.md). A dry run
 * counts through the same queries the removal runs; every change is in the audit chain.
 */
export class PrivacyService {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly retention: RetentionRepository,
    /** The same, on the hub's own connection: the sweep runs across tenants. */
    private readonly rootRetention: RetentionRepository,
    private readonly rootDb: Database,
    private readonly people: PersonalDataRepository,
    private readonly audit: AuditService,
    private readonly settings: { hubRoundsDays: number },
    private readonly logger: Logger,
    private readonly events?: EventBus,
    private readonly jobs?: JobHealth,
  ) {}

  policy(tenantId: string): Promise<RetentionPolicy> {
    return this.retention.find(tenantId);
  }

  async setPolicy(
    tenantId: string,
    change: Omit<RetentionPolicy, 'tenantId'>,
  ): Promise<RetentionPolicy> {
    const before = await this.retention.find(tenantId);
    const after = { ...change, tenantId };
    await this.retention.save(after);
    const changes = fieldChanges(before, after);
    if (Object.keys(changes).length > 0)
      await this.audit.record({
        action: 'privacy.retention_changed',
        target: `tenant:${tenantId}`,
        tenantId,
        details: changes,
      });
    return after;
  }

  /** What the sweep would remove now under the tenant's policy: the dry run. */
  async preview(tenantId: string, now = new Date()): Promise<RetentionPreview> {
    const policy = await this.retention.find(tenantId);
    const cut = this.cutoffs(policy, now);
    return {
      policy,
      hubRoundsDays: this.settings.hubRoundsDays,
      cutoffs: {
        rounds: cut.rounds ?? null,
        attachments: cut.attachments ?? null,
        closedTickets: cut.closedTickets ?? null,
        audit: cut.audit ?? null,
      },
      counts: await this.retention.count(tenantId, cut),
    };
  }

  /**
   * The scheduled removal: every tenant with a policy, once across hub processes (the advisory
   * lock). Each tenant's removal that took anything is an audit entry with the counts.
   * Undefined when another hub process holds the lock.
   */
  async sweep(now = new Date()): Promise<Map<string, RetentionCounts> | undefined> {
    const work = () =>
      runExclusively(this.rootDb, 'bw:retention', async (trx) => {
        const done = new Map<string, RetentionCounts>();
        for (const tenantId of await this.rootRetention.tenantsWithPolicy()) {
          const cut = this.cutoffs(await this.rootRetention.find(tenantId), now);
          done.set(tenantId, await this.rootRetention.remove(trx, tenantId, cut, now));
        }
        return done;
      });
    const done = this.jobs
      ? await this.jobs.run(RETENTION_JOB, work, { skipped: (r) => r === undefined })
      : await work();
    for (const [tenantId, counts] of done ?? []) {
      if (Object.values(counts).every((n) => n === 0)) continue;
      this.logger.info({ tenantId, ...counts }, 'removed data past its retention');
      await this.audit.record({
        action: 'privacy.retention_applied',
        actor: null,
        target: `tenant:${tenantId}`,
        tenantId,
        details: { ...counts },
      });
    }
    return done;
  }

  start(intervalSeconds: number): void {
    this.jobs?.declare(RETENTION_JOB);
    const tick = () => {
      this.#running = this.sweep().catch((err: unknown) =>
        this.logger.error({ err }, 'retention sweep failed'),
      );
    };
    this.#timer = setInterval(tick, intervalSeconds * 1000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Everything the hub holds about the person, as JSON; the export is audited. */
  async exportPerson(actor: PrivacyActor, id: string): Promise<Record<string, unknown>> {
    const person = await this.personOf(actor, id);
    const data = await this.people.export(person);
    await this.audit.record({
      action: 'privacy.exported',
      target: `user:${id}`,
      tenantId: person.tenantId,
    });
    return { exportedAt: new Date(), ...data };
  }

  /**
   * Erases the person (pseudonymises what must stay for the tickets and reports), or with
   * `dryRun` only counts what it would change. Sessions, tokens and live streams end at once.
   */
  async erasePerson(
    actor: PrivacyActor,
    id: string,
    dryRun: boolean,
  ): Promise<{ pseudonym: string; counts: ErasureCounts; erased: boolean }> {
    const person = await this.personOf(actor, id);
    if (person.id === actor.id)
      throw apiError(400, 'BW_ERR_VALIDATION', 'id: you cannot erase yourself', { field: 'id' });
    if (person.erasedAt) throw conflict(`user ${id} was erased already`);
    const pseudonym = pseudonymOf(person.id);
    if (dryRun) return { pseudonym, counts: await this.people.countErasure(person), erased: false };
    const now = new Date();
    // No one knows this password: the account can never sign in again.
    const counts = await this.people.erase(
      person,
      pseudonym,
      await hashPassword(randomSecret(32)),
      now,
    );
    await this.audit.record({
      action: 'privacy.erased',
      target: `user:${id}`,
      tenantId: person.tenantId,
      details: { pseudonym, ...counts },
    });
    await this.events?.emit('access.revoked', { userId: id, at: now });
    return { pseudonym, counts, erased: true };
  }

  private async personOf(actor: PrivacyActor, id: string) {
    const person = await this.people.find(id);
    // Row-level security hides another tenant's people; this says so for a global admin too.
    if (!person || (actor.tenantId !== null && person.tenantId !== actor.tenantId))
      throw notFound('BW_ERR_NOT_FOUND', `user ${id} does not exist`);
    return person;
  }

  private cutoffs(p: RetentionPolicy, now: Date): RetentionCutoffs {
    const ago = (days: number | null) =>
      days === null ? undefined : new Date(now.getTime() - days * DAY_MS);
    return {
      // Past the hub's own retention whole partitions go anyway (timeseries.service.ts).
      rounds:
        p.roundsDays !== null && p.roundsDays < this.settings.hubRoundsDays
          ? ago(p.roundsDays)
          : undefined,
      attachments: ago(p.attachmentsDays),
      closedTickets: ago(p.closedTicketsDays),
      audit: ago(p.auditDays),
    };
  }
}

/** A stable pseudonym a reader can tell from others, derived from the id and nothing else. */
export function pseudonymOf(userId: string): string {
  return `former-user-${createHash('sha256').update(userId).digest('hex').slice(0, 6)}`;
}
