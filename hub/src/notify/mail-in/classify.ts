import type { ParsedMail } from 'mailparser';

/**
 * Mail that must not become a ticket: automatic replies and bounces. RFC 3834 §5
 * (Auto-Submitted other than "no"), the vendor headers X-Autoreply / X-Autorespond,
 * Precedence bulk/junk/auto_reply, and delivery or disposition reports (RFC 6522
 * multipart/report). Returns why, or undefined for mail written by a person.
 */
export function automaticReason(mail: ParsedMail): string | undefined {
  const header = (name: string) => {
    const v = mail.headers.get(name);
    return typeof v === 'string' ? v.toLowerCase() : v ? JSON.stringify(v).toLowerCase() : '';
  };
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `Auto-Submitted: ${autoSubmitted}`;
  if (header('x-autoreply') || header('x-autorespond')) return 'X-Autoreply';
  if (/^(bulk|junk|auto_reply|list)$/.test(header('precedence'))) return 'Precedence';
  if (header('content-type').includes('multipart/report')) return 'multipart/report';
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? '';
  if (/^(mailer-daemon|postmaster)@/.test(from)) return 'bounce sender';
  return undefined;
}

/** `[#1234]` in a subject, as our notification mails write it. */
export function ticketNumberIn(subject: string | undefined): number | undefined {
  const match = /\[#(\d{1,12})\]/.exec(subject ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Message-IDs this mail answers: In-Reply-To first, then References newest first. */
export function threadIds(mail: ParsedMail): string[] {
  const refs = Array.isArray(mail.references)
    ? mail.references
    : mail.references
      ? mail.references.split(/\s+/)
      : [];
  const all = [...(mail.inReplyTo ? mail.inReplyTo.split(/\s+/) : []), ...refs.reverse()];
  return [...new Set(all.filter(Boolean))];
}
