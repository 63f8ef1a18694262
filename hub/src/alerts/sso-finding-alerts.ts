import type { Logger } from '../core/logger.js';
import type { AlertTicketRepository } from './alert-ticket.repository.js';
import { subjectOf, write } from './ticket-text.js';
import type { TicketText } from '@branchwatch/api';

/** Fingerprints of the finding tickets: one active ticket per provider and finding. */
export const SSO_FINDING_FINGERPRINT = 'sso-finding:';
/** A finding's ticket resolves itself after this long without such an answer (docs/sso.md). */
export const FINDING_QUIET_HOURS = 24;

/**
 * A provider's answers of the last FINDING_QUIET_HOURS that showed one finding
 * (identity/sso/sign-in-findings.ts): when last, whether a SHA-1 answer was accepted, the skew
 * furthest from zero; `current`: false for SHA-1 answers seen under another setting than the
 * provider's of now (the admin changed it since).
 */
export interface RecentFinding {
  providerId: string;
  tenantId: string;
  name: string;
  finding: 'sha1' | 'clock_skew';
  lastAt: Date;
  accepted: boolean;
  seconds: number | null;
  current: boolean;
}

/** Runs `work` in one hub process at a time; undefined: another one is at it. */
export type Exclusive = <T>(work: () => Promise<T>) => Promise<T | undefined>;

/**
 * The SSO security report's SHA-1 and clock-skew findings as alerts (docs/sso.md "Security
 * report"), like the certificate's: one high-priority ticket per provider and finding in its
 * tenant (fingerprint `sso-finding:<finding>:<provider id>`); a later finding of the same kind
 * opens no second one. After FINDING_QUIET_HOURS without such an answer — or, for SHA-1, once
 * the provider's "Accept SHA-1 signatures" setting changed — the ticket gets a note and resolves
 * itself if nobody worked on it.
 */
export class SsoFindingAlerts {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #again = false;

  constructor(
    private readonly tickets: AlertTicketRepository,
    private readonly findings: (since: Date) => Promise<RecentFinding[]>,
    /** A provider's name now (a ticket's note names it); undefined: removed. */
    private readonly providerName: (providerId: string) => Promise<string | undefined>,
    private readonly settings: { webUrl?: string },
    private readonly logger: Logger,
    private readonly exclusive: Exclusive = (work) => work(),
  ) {}

  /** A look now, then every `seconds`; `look()` between them when a sign-in showed a finding. */
  start(seconds: number): void {
    this.look();
    this.#timer = setInterval(() => this.look(), seconds * 1000);
    this.#timer.unref();
  }

  /** Looks soon: now, or once the look under way ends. */
  look(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.check()
      .catch((err: unknown) => this.logger.error({ err }, 'sign-in finding alerts failed'))
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.look();
        }
      });
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#again = false;
    await this.#running;
  }

  /** One look: opens the tickets of findings seen, resolves those of findings gone. */
  async check(now = new Date()): Promise<{ opened: string[]; resolved: string[] }> {
    const result = await this.exclusive(() => this.checkNow(now));
    return result ?? { opened: [], resolved: [] };
  }

  private async checkNow(now: Date): Promise<{ opened: string[]; resolved: string[] }> {
    const result = { opened: [] as string[], resolved: [] as string[] };
    const active = (await this.tickets.findActiveByFingerprintPrefix(SSO_FINDING_FINGERPRINT))
      .filter((t) => t.fingerprint && t.tenantId)
      .map((t) => ({
        id: t.id,
        fingerprint: t.fingerprint!,
        tenantId: t.tenantId!,
        subject: t.subject,
      }));
    const recent = await this.findings(new Date(now.getTime() - FINDING_QUIET_HOURS * 3600_000));
    const fingerprintOf = (f: { finding: string; providerId: string }) =>
      `${SSO_FINDING_FINGERPRINT}${f.finding}:${f.providerId}`;
    const seen = new Map(recent.filter((f) => f.current).map((f) => [fingerprintOf(f), f]));
    const changed = new Set(recent.filter((f) => !f.current).map(fingerprintOf));

    for (const [fingerprint, f] of seen) {
      if (active.some((t) => t.fingerprint === fingerprint)) continue;
      const voice = await this.voice(f.tenantId);
      const text: TicketText = {
        kind: 'sso_finding',
        finding: f.finding,
        provider: f.name,
        at: f.lastAt.toISOString(),
        ...(f.finding === 'sha1' ? { accepted: f.accepted } : { seconds: f.seconds ?? 0 }),
      };
      const opened = await this.tickets.openAlertTicket({
        tenantId: f.tenantId,
        branchId: null,
        agentId: null,
        checkId: null,
        fingerprint,
        alertKind: 'security',
        priority: 'high',
        priorityReason: 'sign-in finding',
        subject: subjectOf(text, voice),
        text: write(text, voice),
        at: now,
      });
      if (opened) {
        result.opened.push(fingerprint.slice(SSO_FINDING_FINGERPRINT.length));
        this.logger.warn(
          { provider: f.providerId, finding: f.finding },
          'sign-in finding: ticket opened',
        );
      }
    }

    for (const ticket of active) {
      if (seen.has(ticket.fingerprint)) continue;
      const [finding, providerId] = ticket.fingerprint
        .slice(SSO_FINDING_FINGERPRINT.length)
        .split(':');
      const voice = await this.voice(ticket.tenantId);
      const cleared: TicketText = {
        kind: 'sso_finding_cleared',
        finding: finding === 'sha1' ? 'sha1' : 'clock_skew',
        provider: (await this.providerName(providerId ?? '')) ?? ticket.subject,
        at: now.toISOString(),
        why: changed.has(ticket.fingerprint) ? 'setting_changed' : 'quiet',
      };
      await this.tickets.addEvent(ticket.id, 'recovered', write(cleared, voice), now);
      if (!(await this.tickets.hasHumanActivity(ticket.id))) {
        await this.tickets.resolve(
          ticket.id,
          now,
          write({ kind: 'auto_resolved', why: 'finding_cleared' }, voice),
        );
        result.resolved.push(ticket.fingerprint.slice(SSO_FINDING_FINGERPRINT.length));
      }
    }
    return result;
  }

  private async voice(tenantId: string) {
    return {
      language: await this.tickets.tenantLanguage(tenantId),
      timeZone: 'UTC',
      webUrl: this.settings.webUrl,
    };
  }
}
