import type { Transporter } from 'nodemailer';
import type { DeliveryResult, NotificationChannel, OutboundMessage } from '../channel.js';

const LOGO_CID = 'brand-logo@branchwatch';

/** The mailbox of `Name <box@host>` (or the bare address). */
export function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/**
 * The mail as HTML beside its text: a header in the tenant's accent colour with its logo and
 * product name (docs/branding.md), then the same text, right to left in Persian. Everything
 * from outside is escaped; the accent was checked as `#rrggbb` when it was set.
 */
export function brandedHtml(
  message: Pick<OutboundMessage, 'text' | 'language'>,
  brand: NonNullable<OutboundMessage['brand']>,
): string {
  const dir = message.language === 'fa' ? 'rtl' : 'ltr';
  const accent = /^#[0-9a-f]{6}$/.test(brand.accentColor) ? brand.accentColor : '#4263eb';
  const logo = brand.logo
    ? `<img src="cid:${LOGO_CID}" alt="" height="32" style="height:32px;vertical-align:middle;margin-inline-end:10px">`
    : '';
  return [
    `<!doctype html><html lang="${message.language}" dir="${dir}"><body style="margin:0;font-family:Tahoma,Arial,sans-serif">`,
    `<div style="background:${accent};color:#ffffff;padding:12px 16px;font-size:18px;font-weight:bold">${logo}${escapeHtml(brand.productName)}</div>`,
    `<div style="padding:16px;white-space:pre-wrap;font-size:14px;line-height:1.5">${escapeHtml(message.text)}</div>`,
    '</body></html>',
  ].join('');
}

/** Sends notifications as plain-text mail over SMTP (nodemailer), with HTML when branded. */
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
      const brand = message.brand;
      const info = await transport.sendMail({
        from: brand ? { name: brand.productName, address: addressOf(this.from) } : this.from,
        to: message.address,
        subject: message.subject,
        text: message.text,
        ...(brand ? { html: brandedHtml(message, brand) } : {}),
        attachments: [
          ...(message.attachments ?? []).map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(a.base64, 'base64'),
          })),
          // Shown in the header, by its Content-ID (RFC 2392), not as a file of the mail.
          ...(brand?.logo
            ? [
                {
                  filename: brand.logo.type === 'image/png' ? 'logo.png' : 'logo.jpg',
                  contentType: brand.logo.type,
                  content: Buffer.from(brand.logo.base64, 'base64'),
                  cid: LOGO_CID,
                  contentDisposition: 'inline' as const,
                },
              ]
            : []),
        ],
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
