import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@branchwatch/hub';
import { hashPassword } from '../../hub/src/identity/password.js';
import { ApiClient, waitFor } from '../support/http.js';
import { metric } from '../support/metrics.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { ask, linkTelegram } from '../support/telegram.js';
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
// Chat 999 blocks the bot once it has linked (a person who later blocked the bot).
const blockedChats: string[] = [];

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
  bot = await startTelegramStandin(TOKEN, { blockedChats });
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
  await linkTelegram(sara.api, bot, SARA_TELEGRAM);
  await sara.api.request('PUT', '/api/v1/notify/preferences', { channels: ['telegram'] });
  const blocked = await person('blocked', 'noc_operator');
  await linkTelegram(blocked.api, bot, 999);
  blockedChats.push('999');
  await blocked.api.request('PUT', '/api/v1/notify/preferences', {
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
      'This Telegram account is not linked to a Branchwatch user. ' +
        'Get a code under My settings in Branchwatch and send /link CODE here.',
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

describe('Telegram: who may link an account, and what its commands may do', () => {
  let hq: { id: string; number: number };
  let shop: { id: string; number: number };
  let foreign: { id: string; number: number };
  let viewer: Awaited<ReturnType<typeof person>>;
  const VIEWER_TELEGRAM = 5001;
  const SCOPED_TELEGRAM = 5002;

  const stateOf = async (id: string) => (await t.api.get<Detail>(`/api/v1/tickets/${id}`)).ticket;
  const notesOf = async (id: string) =>
    (await t.api.get<Detail>(`/api/v1/tickets/${id}`)).events.filter((e) => e.kind === 'note');

  beforeAll(async () => {
    const branch = async (slug: string, tenant?: string) =>
      (await t.api.post<{ branch: { id: string } }>('/api/v1/branches', { slug, tenant })).branch
        .id;
    const open = async (subject: string, branchId: string) =>
      (
        await t.api.post<{ ticket: { id: string; number: number } }>('/api/v1/tickets', {
          subject,
          body: `${subject}: details`,
          branchId,
        })
      ).ticket;
    const [hqBranch, shopBranch] = [await branch('tg-hq'), await branch('tg-shop')];
    hq = await open('Head office printer', hqBranch);
    shop = await open('Shop card terminal', shopBranch);
    await t.api.post('/api/v1/tenants', { slug: 'elsewhere', name: 'Elsewhere Ltd' });
    foreign = await open('Elsewhere SECRET outage', await branch('elsewhere-hq', 'elsewhere'));
    viewer = await person('vera', 'viewer');
    await db('users').insert({
      username: 'shopkeeper',
      role: 'support_agent',
      tenant_id: tenantId,
      password_hash: await hashPassword('password-123'),
    });
    const shopkeeper = new ApiClient(t.api.baseUrl);
    await shopkeeper.login('shopkeeper', 'password-123');
    const { id } = await db('users').where({ username: 'shopkeeper' }).first('id');
    await db('user_branches').insert({ user_id: id, branch_id: shopBranch });
    await linkTelegram(shopkeeper, bot, SCOPED_TELEGRAM);
  });

  it('claims no Telegram account by typing its id into the preferences', async () => {
    const claim = await viewer.api.request('PUT', '/api/v1/notify/preferences', {
      telegramUserId: String(SARA_TELEGRAM),
      telegramChatId: String(SARA_TELEGRAM),
    });
    expect(claim.status).toBe(400);
    expect(claim.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION' } });
    // Sara's account still acts as Sara, and the viewer's chat is not hers.
    const { preferences } = await viewer.api.get<{ preferences: { telegramChatId: null } }>(
      '/api/v1/notify/preferences',
    );
    expect(preferences.telegramChatId).toBeNull();
    const noChannel = await viewer.api.request('PUT', '/api/v1/notify/preferences', {
      channels: ['telegram'],
    });
    expect(noChannel.status).toBe(400);
    expect(noChannel.body).toMatchObject({
      error: { message: 'channels: link a Telegram account first' },
    });
  });

  it('gives no link code to an API token, whatever its scopes', async () => {
    const { token } = await viewer.api.post<{ token: string }>('/api/v1/auth/tokens', {
      name: 'script',
      scopes: ['inventory.read'],
    });
    const script = new ApiClient(t.api.baseUrl);
    (script as unknown as { token: string }).token = token;
    const res = await script.request('POST', '/api/v1/notify/telegram/link', {});
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'BW_ERR_FORBIDDEN' } });
  });

  it('links only with a live code, once, from a private chat', async () => {
    const { link } = await viewer.api.post<{ link: { code: string; expiresAt: string } }>(
      '/api/v1/notify/telegram/link',
      {},
    );
    expect(link.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(Date.parse(link.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(await ask(bot, VIEWER_TELEGRAM, '/link 00000000')).toBe(
      'That code is unknown, used or expired. Get a new one under My settings in Branchwatch.',
    );
    expect(await ask(bot, VIEWER_TELEGRAM, `/link ${link.code}`, -100300)).toBe(
      'Send /link CODE in a private chat with this bot, not in a group.',
    );
    // Typed in lower case with a dash, as a person might.
    const typed = `${link.code.slice(0, 4)}-${link.code.slice(4)}`.toLowerCase();
    expect(await ask(bot, VIEWER_TELEGRAM, `/start ${typed}`)).toBe(
      'This Telegram account is now linked to the Branchwatch user vera.',
    );
    // Used up: the same code links nobody else.
    expect(await ask(bot, 5999, `/link ${link.code}`)).toMatch(/^That code is unknown/);
    const { preferences } = await viewer.api.get<{
      preferences: { telegramUserId: string; telegramChatId: string };
    }>('/api/v1/notify/preferences');
    expect(preferences).toMatchObject({
      telegramUserId: String(VIEWER_TELEGRAM),
      telegramChatId: String(VIEWER_TELEGRAM),
    });
    // An expired code links nothing either.
    const late = await viewer.api.post<{ link: { code: string } }>(
      '/api/v1/notify/telegram/link',
      {},
    );
    await db('telegram_link_codes').update({ expires_at: new Date(Date.now() - 1000) });
    expect(await ask(bot, 5998, `/link ${late.link.code}`)).toMatch(/^That code is unknown/);
  });

  it('lets a linked viewer neither resolve nor comment: the ticket routes need tickets.write', async () => {
    expect(await ask(bot, VIEWER_TELEGRAM, `/resolve ${hq.number}`)).toBe(
      'This needs the tickets.write permission.',
    );
    expect(await ask(bot, VIEWER_TELEGRAM, `/comment ${hq.number} closing this`)).toBe(
      'This needs the tickets.write permission.',
    );
    expect((await stateOf(hq.id)).state).toBe('open');
    expect(await notesOf(hq.id)).toEqual([]);
  });

  it("shows a branch-scoped agent no other branch's ticket", async () => {
    expect(await ask(bot, SCOPED_TELEGRAM, `/ack ${hq.number}`)).toBe(
      `Ticket #${hq.number} does not exist.`,
    );
    expect(await stateOf(hq.id)).toMatchObject({ state: 'open', assigneeId: null });
    // Their own branch's ticket they may take.
    expect(await ask(bot, SCOPED_TELEGRAM, `/ack ${shop.number}`)).toBe(
      `Ticket #${shop.number} is yours (in progress).`,
    );
    expect((await stateOf(shop.id)).state).toBe('in_progress');
  });

  it("answers a command on another tenant's ticket as if it did not exist", async () => {
    const before = bot.sent.length;
    expect(await ask(bot, SARA_TELEGRAM, `/resolve ${foreign.number}`)).toBe(
      `Ticket #${foreign.number} does not exist.`,
    );
    expect(await ask(bot, SARA_TELEGRAM, `/comment ${foreign.number} hello`)).toBe(
      `Ticket #${foreign.number} does not exist.`,
    );
    expect((await stateOf(foreign.id)).state).toBe('open');
    expect(await notesOf(foreign.id)).toEqual([]);
    const said = bot.sent.slice(before).map((m) => m.text);
    expect(said.join('\n')).not.toContain(foreign.id);
    expect(said.join('\n')).not.toContain('SECRET');
  });
});

describe('Telegram: /kb', () => {
  const ROUTER = {
    en: { title: 'Restart the branch router', body: 'Unplug the router for ten seconds.' },
    fa: { title: 'راه‌اندازی دوباره روتر شعبه', body: 'کابل برق روتر را ده ثانیه جدا کنید.' },
  };
  const STAFF_ONLY = { title: 'Router console password rotation', body: 'Staff only steps.' };
  let clerkTelegram: number;

  beforeAll(async () => {
    const article = (body: Record<string, unknown>) =>
      lead.post<{ id: string }>('/api/v1/knowledge/articles', { state: 'published', ...body });
    await article({
      audience: 'public',
      translations: [
        { language: 'en', ...ROUTER.en },
        { language: 'fa', ...ROUTER.fa },
      ],
    });
    await article({ audience: 'internal', translations: [{ language: 'en', ...STAFF_ONLY }] });
    // Branch staff of the tenant, linked to Telegram: they read public articles only.
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: 'kb-kiosk',
      name: 'Kiosk',
      tenant: (await db('tenants').where({ id: tenantId }).first('slug')).slug,
    });
    await t.api.post('/api/v1/users', {
      username: 'kb-clerk',
      password: 'password-123',
      role: 'requester',
      tenantId,
      branchIds: [branch.id],
    });
    const clerk = new ApiClient(t.api.baseUrl);
    await clerk.login('kb-clerk', 'password-123');
    clerkTelegram = 4242;
    expect(await linkTelegram(clerk, bot, clerkTelegram)).toMatch(/now linked/);
  });

  it('answers an agent with the articles that match, staff ones included', async () => {
    const answer = await ask(bot, SARA_TELEGRAM, '/kb router');
    expect(answer).toContain(ROUTER.en.title);
    expect(answer).toContain(STAFF_ONLY.title);
    expect(answer.split('\n')[0]).toBe('Articles for “router”:');
  });

  it('answers branch staff with public articles only', async () => {
    const answer = await ask(bot, clerkTelegram, '/kb router');
    expect(answer).toContain(ROUTER.en.title);
    expect(answer).not.toContain(STAFF_ONLY.title);
    expect(await ask(bot, clerkTelegram, '/kb console password rotation')).toBe(
      'No article found for “console password rotation”.',
    );
  });

  it('finds the Persian text when typed with Arabic letters, and names it in Persian', async () => {
    // "كابل" with the Arabic kaf, as many phone keyboards type it.
    const answer = await ask(bot, clerkTelegram, '/kb كابل روتر');
    expect(answer).toContain(ROUTER.fa.title);
  });

  it('says what to type when the words are missing', async () => {
    expect(await ask(bot, clerkTelegram, '/kb')).toMatch(/\/kb/);
  });
});

describe("Telegram: in the person's language", () => {
  const PARISA = 6001;
  const CLAIRE = 6002;
  // Persian digits written out here, not by the code under test.
  const persian = (n: number) => String(n).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
  const LRM = '\u200e';
  const NBSP = '\u00a0';
  const VPN = {
    en: { title: 'Reconnect the VPN tunnel', body: 'Restart the VPN client and sign in again.' },
    fa: { title: 'وصل کردن دوبارهٔ تونل VPN', body: 'برنامهٔ VPN را ببندید و دوباره وارد شوید.' },
    fr: {
      title: 'Reconnecter le tunnel VPN',
      body: 'Redémarrez le client VPN et reconnectez-vous.',
    },
  };
  let ticket: { id: string; number: number };

  const speaking = async (username: string, language: 'fa' | 'fr', telegramId: number) => {
    const someone = await person(username, 'support_agent');
    // The notification language, as My settings saves it.
    await someone.api.request('PUT', '/api/v1/notify/preferences', { language });
    return { ...someone, linked: await linkTelegram(someone.api, bot, telegramId) };
  };

  beforeAll(async () => {
    const parisa = await speaking('parisa', 'fa', PARISA);
    expect(parisa.linked).toBe('این حساب تلگرام اکنون به کاربر parisa در Branchwatch متصل است.');
    const claire = await speaking('claire', 'fr', CLAIRE);
    expect(claire.linked).toBe(
      'Ce compte Telegram est maintenant lié à l’utilisateur claire de Branchwatch.',
    );
    ticket = (
      await lead.post<{ ticket: typeof ticket }>('/api/v1/tickets', {
        subject: 'Branch VPN drops every hour',
        body: 'The tunnel to head office drops.',
      })
    ).ticket;
    // One article in the three languages, each text naming the VPN as often: the search finds
    // it in every language, and the reader's text is the one named.
    await lead.post('/api/v1/knowledge/articles', {
      state: 'published',
      audience: 'public',
      translations: (['en', 'fa', 'fr'] as const).map((language) => ({
        language,
        ...VPN[language],
      })),
    });
  });

  it('answers a Persian-linked agent in Persian, ticket numbers in Persian digits', async () => {
    const n = persian(ticket.number);
    expect(await ask(bot, PARISA, `/ack ${ticket.number}`)).toBe(
      `تیکت #${n} به شما سپرده شد (در جریان).`,
    );
    // The number typed with a Persian keyboard's digits.
    expect(await ask(bot, PARISA, `/comment ${n} تونل دوباره وصل شد`)).toBe(
      `یادداشت شما روی تیکت #${n} ثبت شد.`,
    );
    const detail = await lead.get<Detail>(`/api/v1/tickets/${ticket.id}`);
    expect(detail.ticket.state).toBe('in_progress');
    expect(detail.events.filter((e) => e.kind === 'note')).toMatchObject([
      { body: 'تونل دوباره وصل شد', author: 'parisa', visibility: 'internal' },
    ]);
    expect(await ask(bot, PARISA, '/resolve 987654')).toBe('تیکت #۹۸۷۶۵۴ وجود ندارد.');
    expect(await ask(bot, PARISA, '/ack')).toBe(
      `روش استفاده: ${LRM}/ack شماره — شمارهٔ تیکت را بنویسید تا به شما سپرده شود و در جریان قرار گیرد.`,
    );
  });

  it('answers a French-linked agent in French', async () => {
    expect(await ask(bot, CLAIRE, `/resolve ${ticket.number}`)).toBe(
      `Le ticket n°${NBSP}${ticket.number} est résolu.`,
    );
    expect((await t.api.get<Detail>(`/api/v1/tickets/${ticket.id}`)).ticket.state).toBe('resolved');
    expect(await ask(bot, CLAIRE, `/comment ${ticket.number}`)).toBe(
      `Utilisation${NBSP}: /comment N texte — N est le numéro du ticket\u202f; le texte devient une note interne.`,
    );
    expect(await ask(bot, CLAIRE, '/help')).toMatch(/^Commandes\u00a0:\n\/ack N — prendre/);
  });

  it("searches the knowledge base in the person's language", async () => {
    expect((await ask(bot, PARISA, '/kb VPN')).split('\n').slice(0, 2)).toEqual([
      'مقاله‌ها برای «VPN»:',
      `۱. ${VPN.fa.title}`,
    ]);
    expect((await ask(bot, CLAIRE, '/kb VPN')).split('\n').slice(0, 2)).toEqual([
      `Articles pour «${NBSP}VPN${NBSP}»${NBSP}:`,
      `1. ${VPN.fr.title}`,
    ]);
    expect((await ask(bot, SARA_TELEGRAM, '/kb VPN')).split('\n').slice(0, 2)).toEqual([
      'Articles for “VPN”:',
      `1. ${VPN.en.title}`,
    ]);
    expect(await ask(bot, PARISA, '/kb چاپگر')).toBe('مقاله‌ای برای «چاپگر» پیدا نشد.');
  });

  it('answers a bare or malformed command with its usage, an unknown one with the help', async () => {
    expect(await ask(bot, SARA_TELEGRAM, '/ack')).toBe(
      'Usage: /ack N — N is the ticket number; the ticket is assigned to you and set in progress.',
    );
    expect(await ask(bot, SARA_TELEGRAM, '/ack abc')).toMatch(/^Usage: \/ack N/);
    expect(await ask(bot, SARA_TELEGRAM, `/comment ${ticket.number}`)).toBe(
      'Usage: /comment N text — N is the ticket number; the text becomes an internal note.',
    );
    expect(await ask(bot, SARA_TELEGRAM, '/resolve')).toBe(
      'Usage: /resolve N — N is the ticket number.',
    );
    expect(await ask(bot, SARA_TELEGRAM, '/link')).toMatch(/^Usage: \/link CODE/);
    expect(await ask(bot, SARA_TELEGRAM, '/close 42')).toMatch(/^Commands:\n\/ack N/);
    // In a group, an unknown command not written to the bot by name may be another bot's: the
    // bot says nothing to it, and answers the /help sent after it.
    const before = bot.sent.length;
    bot.inject({ fromId: SARA_TELEGRAM, chatId: GROUP, text: '/weather Tehran' });
    expect(await ask(bot, SARA_TELEGRAM, '/help', GROUP)).toMatch(/^Commands:/);
    expect(bot.sent.slice(before).filter((m) => String(m.chat_id) === String(GROUP))).toHaveLength(
      1,
    );
    expect(await ask(bot, SARA_TELEGRAM, '/weather@branchwatch_bot Tehran', GROUP)).toMatch(
      /^Commands:/,
    );
  });

  it('answers a sender not linked yet in the language their Telegram reports', async () => {
    expect(await ask(bot, 6099, `/ack ${ticket.number}`, 6099, 'fa')).toBe(
      'این حساب تلگرام به هیچ کاربری در Branchwatch متصل نیست. ' +
        `از «تنظیمات من» در Branchwatch کدی بگیرید و اینجا ${LRM}/link کد را بفرستید.`,
    );
    expect(await ask(bot, 6099, '/link 00000000', 6099, 'fr-FR')).toBe(
      'Ce code est inconnu, déjà utilisé ou expiré. Obtenez-en un nouveau dans Mes réglages de Branchwatch.',
    );
    expect(await ask(bot, 6099, '/start', 6099, 'fr')).toMatch(/^Commandes\u00a0:/);
    expect(await ask(bot, 6099, '/start', 6099, 'de')).toMatch(/^Commands:/);
    // Once linked, the notification language counts, not the app's.
    expect(await ask(bot, PARISA, '/help', PARISA, 'en')).toMatch(/^فرمان‌ها:/);
  });
});
