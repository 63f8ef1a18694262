import type { OutboundMessage } from '../channel.js';

/**
 * The body a webhook receives in its subscription's format: our own JSON, Slack's Block Kit
 * (https://api.slack.com/reference/block-kit/blocks) or, for Microsoft Teams, an Adaptive Card
 * in the message envelope that Teams' Workflows webhooks ("When a Teams webhook request is
 * received") accept: Microsoft is retiring the Office 365 connectors that took MessageCards
 * (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using).
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
      return teamsMessage(message);
    default:
      return {
        id: deliveryId,
        event: message.event,
        subject: message.subject,
        text: message.text,
        data: message.data,
        ...(message.url ? { url: message.url } : {}),
      };
  }
}

/**
 * Adaptive Card 1.4 (https://adaptivecards.io/explorer/): the subject as a heading (red for
 * breaches and failures), the text, the event's facts, and a button to the ticket when the
 * hub knows its public web address (BW_NOTIFY_WEB_URL).
 */
function teamsMessage(message: OutboundMessage) {
  const alarming = message.event.includes('breach') || message.event.endsWith('failing');
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: message.subject,
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
              ...(alarming ? { color: 'Attention' } : {}),
            },
            { type: 'TextBlock', text: message.text, wrap: true },
            { type: 'FactSet', facts: facts(message.data) },
          ],
          actions: message.url
            ? [{ type: 'Action.OpenUrl', title: linkTitle(message), url: message.url }]
            : [],
        },
      },
    ],
  };
}

const linkTitle = (message: OutboundMessage) =>
  typeof message.data.number === 'number' ? `Open ticket #${message.data.number}` : 'Open';

// Facts that tell a reader something: ids and our own bookkeeping stay out of the card.
const HIDDEN_FACTS = new Set(['deliveryId', 'event', 'body', 'list']);

function facts(data: Record<string, unknown>) {
  return Object.entries(data)
    .filter(([name, v]) => !HIDDEN_FACTS.has(name) && v !== null && v !== undefined && v !== '')
    .filter(([, v]) => typeof v !== 'object')
    .map(([title, value]) => ({ title, value: String(value) }));
}
