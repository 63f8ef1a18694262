import type { Logger } from '../core/logger.js';
import type { AlertTicketRepository } from './alert-ticket.repository.js';
import { subjectOf, write } from './ticket-text.js';
import type { TicketText } from '@branchwatch/api';
import type { Exclusive } from './sso-finding-alerts.js';

/** Fingerprints of the certificate tickets: one active ticket per SAML provider. */
export const SSO_CERTIFICATE_FINGERPRINT = 'sso-certificate:';
/** A signing certificate that ends within this many days opens a ticket (docs/sso.md). */
export const CERTIFICATE_WARNING_DAYS = 14;

/** A SAML provider and the end of each IdP signing certificate it holds. */
export interface ProviderCertificates {
  providerId: string;
  tenantId: string;
  name: string;
  notAfter: Date[];
}

/**
 * The SSO security report's certificate finding as an alert (docs/sso.md "Security report"):
 * a SAML provider whose every IdP signing certificate ends within 14 days, or has ended, opens
 * one high-priority ticket in its tenant, like a failing check (fingerprint per provider); when
 * a certificate that lasts longer is pasted (or the provider is removed) the ticket gets a note
 * and resolves itself if nobody worked on it. During a rollover the new certificate keeps the
 * provider quiet.
 */
export class SsoCertificateAlerts {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly tickets: AlertTicketRepository,
    private readonly providers: () => Promise<ProviderCertificates[]>,
    private readonly settings: { webUrl?: string },
    private readonly logger: Logger,
    /** The scale-out runs several hubs: one of them looks at a time (a pg advisory lock). */
    private readonly exclusive: Exclusive = (work) => work(),
  ) {}

  /** A look now, then every `seconds` (a certificate's end moves by days, not seconds). */
  start(seconds: number): void {
    const look = () => {
      if (this.#running) return;
      this.#running = this.check()
        .catch((err: unknown) => this.logger.error({ err }, 'certificate alerts failed'))
        .finally(() => (this.#running = undefined));
    };
    look();
    this.#timer = setInterval(look, seconds * 1000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One look at every SAML provider: opens the tickets of those ending, resolves the others'. */
  async check(now = new Date()): Promise<{ opened: string[]; resolved: string[] }> {
    return (await this.exclusive(() => this.checkNow(now))) ?? { opened: [], resolved: [] };
  }

  private async checkNow(now: Date): Promise<{ opened: string[]; resolved: string[] }> {
    const result = { opened: [] as string[], resolved: [] as string[] };
    const active = new Map(
      (await this.tickets.findActiveByFingerprintPrefix(SSO_CERTIFICATE_FINGERPRINT)).flatMap(
        (t) =>
          t.fingerprint && t.tenantId ? [[t.fingerprint, { ...t, tenantId: t.tenantId }]] : [],
      ) as [string, { id: string; tenantId: string; subject: string }][],
    );
    const names = new Map<string, string>();
    const ending = new Set<string>();
    for (const p of await this.providers()) {
      if (!p.notAfter.length) continue;
      const fingerprint = `${SSO_CERTIFICATE_FINGERPRINT}${p.providerId}`;
      names.set(fingerprint, p.name);
      const last = Math.max(...p.notAfter.map((d) => d.getTime()));
      if (last - now.getTime() >= CERTIFICATE_WARNING_DAYS * 86400_000) continue;
      ending.add(fingerprint);
      if (active.has(fingerprint)) continue;
      const voice = {
        language: await this.tickets.tenantLanguage(p.tenantId),
        timeZone: 'UTC',
        webUrl: this.settings.webUrl,
      };
      const text: TicketText = {
        kind: 'sso_certificate',
        provider: p.name,
        notAfter: new Date(last).toISOString(),
        expired: last <= now.getTime(),
      };
      const opened = await this.tickets.openAlertTicket({
        tenantId: p.tenantId,
        branchId: null,
        agentId: null,
        checkId: null,
        fingerprint,
        alertKind: 'security',
        priority: 'high',
        priorityReason: 'sign-in certificate',
        subject: subjectOf(text, voice),
        text: write(text, voice),
        at: now,
      });
      if (opened) {
        result.opened.push(p.providerId);
        this.logger.warn({ provider: p.providerId }, 'SAML certificate ends soon: ticket opened');
      }
    }
    for (const [fingerprint, ticket] of active) {
      if (ending.has(fingerprint)) continue;
      const voice = {
        language: await this.tickets.tenantLanguage(ticket.tenantId),
        timeZone: 'UTC',
        webUrl: this.settings.webUrl,
      };
      const back: TicketText = {
        kind: 'sso_certificate_replaced',
        provider: names.get(fingerprint) ?? ticket.subject,
        at: now.toISOString(),
      };
      await this.tickets.addEvent(ticket.id, 'recovered', write(back, voice), now);
      if (!(await this.tickets.hasHumanActivity(ticket.id))) {
        await this.tickets.resolve(
          ticket.id,
          now,
          write({ kind: 'auto_resolved', why: 'certificate_replaced' }, voice),
        );
        result.resolved.push(fingerprint.slice(SSO_CERTIFICATE_FINGERPRINT.length));
      }
    }
    return result;
  }
}
