import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@branchwatch/hub';
import { hashPassword } from '../../hub/src/identity/password.js';
import { ApiClient, waitFor } from '../support/http.js';
import { metric } from '../support/metrics.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startTelegramStandin } from '../telegram-standin/standin.js';

// Telegram notifications and bot commands through the real hub to a Bot API stand-in.
const TOKEN = '123456:TEST-token_abc';
const GROUP = -100200;
const SARA_TELEGRAM = 777;
let t: TestHub;
let db: Database;
let bot: Awaited<ReturnType<typeof startTelegramStandin>>;
let tenantId: string;
let lead: ApiClient;
let saraId: string;

async function person(username: string, role: string) {
  const [row] = await db('users')
    .insert({
      username,
      role,
      tenant_id: tenantId,
      password_hash: await hashPassword('password-123'),
    })
    .returning('id');
  const api = new ApiClient(t.api.baseUrl);
  await api.login(username, 'password-123');
  return { id: row.id as string, api };
}

interface Detail {
  ticket: { state: string; assigneeId: string | null };
  events: { kind: string; body: string | null; author: string | null; visibility: string }[];
}

const replyTo = (chatId: number, includes: string) =>
  waitFor(`the bot's reply "${includes}"`, async () =>
    bot.sent.find((m) => String(m.chat_id) === String(chatId) && m.text.includes(includes)),
  );

beforeAll(async () => {
  bot = await startTelegramStandin(TOKEN, { blockedChats: ['999'] });
  // Left over from an earlier webhook setup: the polling hub must take its updates back.
  const set = await fetch(`${bot.url}/bot${TOKEN}/setWebhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: 'https://old-hub.example.test/api/v1/telegram/webhook' }),
  });
  expect(set.status).toBe(200);
  t = await startTestHub({
    BW_TELEGRAM_BOT_TOKEN: TOKEN,
    BW_TELEGRAM_API_URL: bot.url,
    BW_TELEGRAM_POLL_SECONDS: '2',
    BW_NOTIFY_POLL_MS: '100',
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  tenantId = (await db('tenants').first('id')).id;
  lead = (await person('lead', 'tenant_admin')).api;
  const sara = await person('sara', 'support_agent');
  saraId = sara.id;
  await sara.api.request('PUT', '/api/v1/notify/preferences', {
    telegramChatId: String(SARA_TELEGRAM),
    telegramUserId: String(SARA_TELEGRAM),
    channels: ['telegram'],
  });
  const blocked = await person('blocked', 'noc_operator');
  await blocked.api.request('PUT', '/api/v1/notify/preferences', {
    telegramChatId: '999',
    channels: ['telegram'],
    events: ['ticket.opened'],
  });
  await lead.post('/api/v1/notify/subscriptions', {
    channel: 'telegram',
    address: String(GROUP),
    language: 'fr',
    events: ['ticket.opened', 'ticket.resolved'],
  });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await bot?.close();
});

describe('Telegram', () => {
  let ticket: { id: string; number: number };

  it("tells the group of a new ticket, in the subscription's language", async () => {
    ticket = (
      await lead.post<{ ticket: typeof ticket }>('/api/v1/tickets', {
        subject: 'VoIP one-way audio',
        body: 'Calls from the branch have one-way audio.',
        priority: 'high',
      })
    ).ticket;
    const message = await replyTo(GROUP, 'Nouveau ticket');
    expect(message.text).toBe(
      `[#${ticket.number}] Nouveau ticket : VoIP one-way audio\n\n` +
        `Le ticket #${ticket.number} « VoIP one-way audio » a été ouvert.\nPriorité : high\n\n` +
        'Calls from the branch have one-way audio.',
    );
  });

  it('makes a dead letter at once when the bot is blocked (403 cannot be retried)', async () => {
    const dead = await waitFor('the dead letter for the blocked chat', async () => {
      const { items } = await lead.get<{
        items: { address: string; status: string; attempts: number; lastError: string }[];
      }>('/api/v1/notify/deliveries');
      return items.find((d) => d.address === '999' && d.status === 'dead');
    });
    expect(dead.attempts).toBe(1);
    expect(dead.lastError).toBe('Telegram 403: Forbidden: bot was blocked by the user');
    // Failures show in /metrics per channel.
    const base = `http://127.0.0.1:${t.hub.httpPort}`;
    expect(
      await metric(base, 'bw_notify_deliveries_total{channel="telegram",outcome="dead"}'),
    ).toBe(1);
    expect(await metric(base, 'bw_notify_deliveries_total{channel="webhook",outcome="dead"}')).toBe(
      0,
    );
    // And as they stand now: the dead letter waits in the outbox for a person.
    expect(await metric(base, 'bw_notify_outbox{channel="telegram",state="dead"}')).toBe(1);
  });

  it('lets a linked agent acknowledge, comment on and resolve a ticket', async () => {
    bot.inject({ fromId: SARA_TELEGRAM, chatId: SARA_TELEGRAM, text: `/ack ${ticket.number}` });
    expect((await replyTo(SARA_TELEGRAM, 'is yours')).text).toBe(
      `Ticket #${ticket.number} is yours (in progress).`,
    );
    let detail = await lead.get<Detail>(`/api/v1/tickets/${ticket.id}`);
    expect(detail.ticket.state).toBe('in_progress');
    expect(detail.ticket.assigneeId).toBe(saraId);

    bot.inject({
      fromId: SARA_TELEGRAM,
      chatId: GROUP,
      text: `/comment@branchwatch_bot ${ticket.number} Replaced the SBC config, testing now`,
    });
    await replyTo(GROUP, 'Comment added');
    bot.inject({ fromId: SARA_TELEGRAM, chatId: SARA_TELEGRAM, text: `/resolve ${ticket.number}` });
    await replyTo(SARA_TELEGRAM, 'resolved');

    detail = await lead.get<Detail>(`/api/v1/tickets/${ticket.id}`);
    expect(detail.ticket.state).toBe('resolved');
    const notes = detail.events.filter((e) => e.kind === 'note');
    expect(notes).toMatchObject([
      { body: 'Replaced the SBC config, testing now', author: 'sara', visibility: 'internal' },
    ]);
    // The group hears of the resolution through the notification path as well.
    await replyTo(GROUP, 'Résolu');
  });

  it('refuses commands from Telegram users not linked to a hub user, and confirms updates', async () => {
    const id = bot.inject({ fromId: 4242, chatId: 4242, text: `/resolve ${ticket.number}` });
    expect((await replyTo(4242, 'not linked')).text).toBe(
      'Telegram user 4242 is not linked to a Branchwatch user.',
    );
    // The webhook left over from before was deleted, and polling took over.
    expect(bot.webhook()).toBeUndefined();
    // Every update was confirmed by a later offset, so none is carried out twice.
    await waitFor('the offset past the last update', async () =>
      bot.offsets.includes(id + 1) ? true : undefined,
    );
    expect(bot.sent.filter((m) => m.text.includes('Comment added'))).toHaveLength(1);
  });
});
