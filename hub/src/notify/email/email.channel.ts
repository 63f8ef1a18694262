import nodemailer, { type Transporter } from 'nodemailer';
import type { DeliveryResult, NotificationChannel, OutboundMessage } from '../channel.js';

/** Sends notifications as plain-text mail over SMTP (nodemailer). */
export class EmailChannel implements NotificationChannel {
  readonly type = 'email';
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    timeoutMs: number,
  ) {
    this.transport = nodemailer.createTransport(url, {
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    } as never);
  }

  async send(message: OutboundMessage, signal: AbortSignal): Promise<DeliveryResult> {
    if (signal.aborted) return { ok: false, error: 'timed out', retry: true };
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: message.address,
        subject: message.subject,
        text: message.text,
        // RFC 3834 §5: mark our mail as automatic, so that auto-responders stay quiet.
        headers: {
          'Auto-Submitted': 'auto-generated',
          'Content-Language': message.language,
          'X-Branchwatch-Event': message.event,
        },
        // RFC 5322 §3.6.4: replies carry these back, and mail to ticket threads by them.
        ...(message.references
          ? { references: message.references, inReplyTo: message.references }
          : {}),
      });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length)
        return { ok: false, error: `rejected: ${rejected.join(', ')}`, retry: false };
      return { ok: true, detail: info.messageId };
    } catch (err) {
      const e = err as Error & { responseCode?: number };
      // SMTP 5xx is permanent (RFC 5321 §4.2.1); anything else may pass later.
      const permanent = e.responseCode !== undefined && e.responseCode >= 500;
      return { ok: false, error: e.message, retry: !permanent };
    }
  }

  close(): void {
    this.transport.close();
  }
}
