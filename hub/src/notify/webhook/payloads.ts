import type { OutboundMessage } from '../channel.js';

/**
 * The body a webhook receives in its subscription's format: our own JSON, Slack's Block Kit
 * (https://api.slack.com/reference/block-kit/blocks) or a Microsoft Teams MessageCard
 * (https://learn.microsoft.com/outlook/actionable-messages/message-card-reference).
 */
export function webhookBody(message: OutboundMessage, deliveryId: string): unknown {
  switch (message.format ?? 'json') {
    case 'slack':
      return {
        text: message.subject,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: message.subject.slice(0, 150) } },
          { type: 'section', text: { type: 'mrkdwn', text: message.text.slice(0, 3000) } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: `event: ${message.event}` }] },
        ],
      };
    case 'teams':
      return {
        '@type': 'MessageCard',
        '@context': 'https://schema.org/extensions',
        summary: message.subject,
        themeColor:
          message.event.includes('breach') || message.event.endsWith('failing')
            ? 'D13438'
            : '0078D7',
        title: message.subject,
        text: message.text,
        sections: [{ facts: facts(message.data) }],
      };
    default:
      return {
        id: deliveryId,
        event: message.event,
        subject: message.subject,
        text: message.text,
        data: message.data,
      };
  }
}

function facts(data: Record<string, unknown>) {
  return Object.entries(data)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([name, value]) => ({ name, value: String(value) }));
}
