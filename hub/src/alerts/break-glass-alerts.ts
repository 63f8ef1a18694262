import type { Logger } from '../core/logger.js';
import type { AlertTicketRepository } from './alert-ticket.repository.js';
import { subjectOf, write } from './ticket-text.js';
import type { TicketText } from '@branchwatch/api';

/** Fingerprints of the break-glass tickets: one active ticket per tenant. */
export const BREAK_GLASS_FINGERPRINT = 'sso-break-glass:';

/**
 * A break-glass account signed in with the hub's password in a tenant whose people sign in
 * through its provider (docs/sso.md "Break-glass"): the tenant's admins get an alert ticket in
 * their tenant, like a failing check's, and each further use while it is open is a note on it,
 * not a second ticket. Closing the ticket says "seen"; the next use opens a new one.
 */
export class BreakGlassAlerts {
  constructor(
    private readonly tickets: AlertTicketRepository,
    private readonly settings: { webUrl?: string },
    private readonly logger: Logger,
  ) {}

  async signedIn(
    user: { id: string; username: string; tenantId: string | null },
    client: { ip: string | null },
    at = new Date(),
  ): Promise<void> {
    // The person must still get in: a ticket that cannot be written is logged, never a refusal.
    await this.raise(user, client, at).catch((err: unknown) =>
      this.logger.error({ err, user: user.username }, 'break-glass ticket not written'),
    );
  }

  private async raise(
    user: { id: string; username: string; tenantId: string | null },
    client: { ip: string | null },
    at: Date,
  ): Promise<void> {
    if (!user.tenantId) return;
    const language = await this.tickets.tenantLanguage(user.tenantId);
    const voice = { language, timeZone: 'UTC', webUrl: this.settings.webUrl };
    const text: TicketText = {
      kind: 'break_glass',
      username: user.username,
      at: at.toISOString(),
      ip: client.ip,
    };
    const fingerprint = `${BREAK_GLASS_FINGERPRINT}${user.tenantId}`;
    // Opening and noting race with a second hub process: the active-fingerprint index lets one
    // open, and the other then finds it and notes.
    for (let attempt = 0; attempt < 2; attempt++) {
      const open = await this.tickets.findActiveByFingerprint(fingerprint);
      if (open) {
        await this.tickets.addEvent(open.id, 'note', write(text, voice), at);
        return;
      }
      const opened = await this.tickets.openAlertTicket({
        tenantId: user.tenantId,
        branchId: null,
        agentId: null,
        checkId: null,
        fingerprint,
        alertKind: 'security',
        priority: 'high',
        priorityReason: 'break-glass sign-in',
        subject: subjectOf(text, voice),
        text: write(text, voice),
        at,
      });
      if (opened) {
        this.logger.warn(
          { user: user.username, ip: client.ip },
          'break-glass sign-in: ticket opened',
        );
        return;
      }
    }
  }
}
