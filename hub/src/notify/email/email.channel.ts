import type { Transporter } from 'nodemailer';
import type { DeliveryResult, NotificationChannel, OutboundMessage } from '../channel.js';

/** Sends notifications as plain-text mail over SMTP (nodemailer). */
export class EmailChannel implements NotificationChannel {
  readonly type = 'email';
  /**
   * Made at the first send: nodemailer is loaded only then (docs/benchmarks.md, "Time to
   * chart and the idle hub").
   */
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly url: string,
    private readonly from: string,
    private readonly timeoutMs: number,
  ) {}

  private transporter(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(this.url, {
        connectionTimeout: this.timeoutMs,
        greetingTimeout: this.timeoutMs,
        socketTimeout: this.timeoutMs,
      } as never),
    );
    return this.transport;
  }

  async send(message: OutboundMessage, signal: AbortSignal): Promise<DeliveryResult> {
    if (signal.aborted) return { ok: false, error: 'timed out', retry: true };
    try {
      const transport = await this.transporter();
      const info = await transport.sendMail({
        from: this.from,
        to: message.address,
        subject: message.subject,
        text: message.text,
        attachments: message.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.base64, 'base64'),
        })),
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
    void this.transport?.then((t) => t.close());
  }
}
