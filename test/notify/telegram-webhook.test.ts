import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectDatabase,
  createLogger,
  freeLoopbackPort,
  loadConfig,
  startHub,
  type Database,
  type RunningHub,
} from '@branchwatch/hub';
import { webhookSecret } from '../../hub/src/notify/telegram/telegram-webhook.js';
import { hashPassword } from '../../hub/src/identity/password.js';
import { createTestDatabase } from '../support/database.js';
import { waitFor } from '../support/http.js';
import { ADMIN_PASSWORD } from '../support/hub.js';
import {
  HttpsApiClient,
  httpsGet,
  makeTestCertificates,
  type TestCertificates,
} from '../support/tls.js';
import { linkTelegram } from '../support/telegram.js';
import { startTelegramStandin } from '../telegram-standin/standin.js';

// Telegram bot commands in webhook mode: the hub serves HTTPS, registers its URL with the
// Bot API stand-in (setWebhook with a secret_token), and the stand-in POSTs updates to it.
const TOKEN = '654321:WEBHOOK-token_xyz';
const SARA_TELEGRAM = 888;
let dir: string;
let certs: TestCertificates;
let hub: RunningHub;
let db: Database;
let bot: Awaited<ReturnType<typeof startTelegramStandin>>;
let base: string;
let lead: HttpsApiClient;
let saraId: string;
let tenantId: string;

async function person(username: string, role: string) {
  const [row] = await db('users')
    .insert({
      username,
      role,
      tenant_id: tenantId,
      password_hash: await hashPassword('password-123'),
    })
    .returning('id');
  const api = new HttpsApiClient(base, certs.ca);
  await api.login(username, 'password-123');
  return { id: row.id as string, api };
}

/** A POST to the webhook as someone who may or may not know the secret. */
const postUpdate = (update: unknown, headers: Record<string, string> = {}) =>
  httpsGet(`${base}/api/v1/telegram/webhook`, certs.ca, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(update),
  });

const replyTo = (chatId: number, includes: string) =>
  waitFor(`the bot's reply "${includes}"`, async () =>
    bot.sent.find((m) => String(m.chat_id) === String(chatId) && m.text.includes(includes)),
  );

interface Detail {
  ticket: { state: string; assigneeId: string | null };
  events: { kind: string; body: string | null; author: string | null }[];
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-tg-webhook-'));
  certs = makeTestCertificates(dir);
  bot = await startTelegramStandin(TOKEN, { webhookCa: certs.ca });
  // The public URL must be known before the hub starts: pick the port first.
  const port = await freeLoopbackPort();
  base = `https://127.0.0.1:${port}`;
  const databaseUrl = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    BW_HTTP_HOST: '127.0.0.1',
    BW_HTTP_PORT: String(port),
    BW_MQTT_HOST: '127.0.0.1',
    BW_MQTT_PORT: '0',
    BW_MQTTS_HOST: '127.0.0.1',
    BW_MQTTS_PORT: '0',
    BW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    BW_TLS_CERT_FILE: certs.certFile,
    BW_TLS_KEY_FILE: certs.keyFile,
    BW_TELEGRAM_BOT_TOKEN: TOKEN,
    BW_TELEGRAM_API_URL: bot.url,
    BW_TELEGRAM_WEBHOOK_URL: `${base}/api/v1/telegram/webhook`,
    BW_NOTIFY_POLL_MS: '100',
  });
  hub = await startHub(config, createLogger(process.env.BW_TEST_LOG ?? 'silent'));
  db = connectDatabase(databaseUrl, { min: 0, max: 2 });
  tenantId = (await db('tenants').first('id')).id;
  lead = (await person('lead', 'tenant_admin')).api;
  const sara = await person('sara', 'support_agent');
  saraId = sara.id;
  await waitFor('setWebhook', async () => bot.webhook());
  expect(await linkTelegram(sara.api, bot, SARA_TELEGRAM)).toBe(
    'This Telegram account is now linked to the Branchwatch user sara.',
  );
  const prefs = await sara.api.request('PUT', '/api/v1/notify/preferences', {
    channels: ['telegram'],
  });
  expect(prefs.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await db?.destroy();
  await hub?.stop();
  await bot?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Telegram webhook mode', () => {
  let ticket: { id: string; number: number };

  it('registers its HTTPS URL with a secret_token at start, and does not poll', async () => {
    const registered = await waitFor('setWebhook', async () => bot.webhook());
    expect(registered).toEqual({
      url: `${base}/api/v1/telegram/webhook`,
      secretToken: webhookSecret(TOKEN),
    });
    expect(registered.secretToken).toMatch(/^[0-9a-f]{64}$/);
    expect(bot.offsets).toEqual([]);
  });

  it('answers 401 to an update without the secret header or with a wrong one', async () => {
    ticket = (
      await lead.post<{ ticket: typeof ticket }>('/api/v1/tickets', {
        subject: 'Card reader offline',
        body: 'The door card reader does not answer.',
        priority: 'high',
      })
    ).ticket;
    const update = {
      update_id: 9001,
      message: {
        message_id: 1,
        from: { id: SARA_TELEGRAM, is_bot: false, first_name: 'Sara' },
        chat: { id: SARA_TELEGRAM, type: 'private' },
        text: `/resolve ${ticket.number}`,
      },
    };
    const missing = await postUpdate(update);
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.text)).toMatchObject({
      error: {
        code: 'BW_ERR_UNAUTHENTICATED',
        message: 'X-Telegram-Bot-Api-Secret-Token: missing or wrong',
      },
    });
    const wrong = await postUpdate(update, {
      'X-Telegram-Bot-Api-Secret-Token': webhookSecret('111:another-bot'),
    });
    expect(wrong.status).toBe(401);
    // The secret is checked before the body: a stranger learns nothing about the schema.
    expect((await postUpdate({ nonsense: true })).status).toBe(401);
    const detail = await lead.get<Detail>(`/api/v1/tickets/${ticket.id}`);
    expect(detail.ticket.state).toBe('open');
    // Nothing since the answer to linking.
    expect(bot.sent.filter((m) => String(m.chat_id) === String(SARA_TELEGRAM))).toEqual([
      {
        chat_id: SARA_TELEGRAM,
        text: 'This Telegram account is now linked to the Branchwatch user sara.',
      },
    ]);
  });

  it('lets a linked agent acknowledge, comment on and resolve a ticket through webhook updates', async () => {
    const ack = bot.inject({
      fromId: SARA_TELEGRAM,
      chatId: SARA_TELEGRAM,
      text: `/ack ${ticket.number}`,
    });
    expect((await replyTo(SARA_TELEGRAM, 'is yours')).text).toBe(
      `Ticket #${ticket.number} is yours (in progress).`,
    );
    let detail = await lead.get<Detail>(`/api/v1/tickets/${ticket.id}`);
    expect(detail.ticket).toMatchObject({ state: 'in_progress', assigneeId: saraId });

    const comment = bot.inject({
      fromId: SARA_TELEGRAM,
      chatId: SARA_TELEGRAM,
      text: `/comment ${ticket.number} Reader rebooted, watching it`,
    });
    await replyTo(SARA_TELEGRAM, 'Comment added');
    const resolve = bot.inject({
      fromId: SARA_TELEGRAM,
      chatId: SARA_TELEGRAM,
      text: `/resolve ${ticket.number}`,
    });
    await replyTo(SARA_TELEGRAM, 'resolved');

    detail = await lead.get<Detail>(`/api/v1/tickets/${ticket.id}`);
    expect(detail.ticket.state).toBe('resolved');
    expect(detail.events.filter((e) => e.kind === 'note')).toMatchObject([
      { body: 'Reader rebooted, watching it', author: 'sara' },
    ]);
    const answered = await waitFor('the three webhook answers', async () => {
      const mine = bot.webhookDeliveries.filter((d) => d.updateId >= ack);
      return mine.length >= 3 ? mine : undefined;
    });
    expect(answered).toEqual([
      { updateId: ack, status: 204 },
      { updateId: comment, status: 204 },
      { updateId: resolve, status: 204 },
    ]);
    // Still no polling: every update came by webhook.
    expect(bot.offsets).toEqual([]);
  });

  it('refuses commands from a linked user whose account is disabled', async () => {
    const gone = await person('gone', 'support_agent');
    await linkTelegram(gone.api, bot, 999001);
    await db('users').where({ id: gone.id }).update({ disabled_at: new Date() });
    bot.inject({ fromId: 999001, chatId: 999001, text: `/comment ${ticket.number} still here` });
    expect((await replyTo(999001, 'not linked')).text).toBe(
      'This Telegram account is not linked to a Branchwatch user. ' +
        'Get a code under My settings in Branchwatch and send /link CODE here.',
    );
    const detail = await lead.get<Detail>(`/api/v1/tickets/${ticket.id}`);
    expect(detail.events.filter((e) => e.body === 'still here')).toEqual([]);
  });

  it('carries out an update Telegram delivers twice only once', async () => {
    const update = {
      update_id: 7777,
      message: {
        message_id: 99,
        from: { id: SARA_TELEGRAM, is_bot: false, first_name: 'Sara' },
        chat: { id: SARA_TELEGRAM, type: 'private' },
        text: `/comment ${ticket.number} Checked again after an hour`,
      },
    };
    const headers = { 'X-Telegram-Bot-Api-Secret-Token': webhookSecret(TOKEN) };
    expect((await postUpdate(update, headers)).status).toBe(204);
    expect((await postUpdate(update, headers)).status).toBe(204);
    const detail = await lead.get<Detail>(`/api/v1/tickets/${ticket.id}`);
    expect(
      detail.events.filter((e) => e.body === 'Checked again after an hour').map((e) => e.kind),
    ).toEqual(['note']);
    expect(bot.sent.filter((m) => m.text.includes('Comment added'))).toHaveLength(2);
  });
});
