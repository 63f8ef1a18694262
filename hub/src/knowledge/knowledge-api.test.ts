import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../db/database.js';
import type { ApiClient } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { knowledgeTenant, type KnowledgeTenant } from '../../../test/support/knowledge.js';

// The knowledge base through the real hub's HTTP API on its own PostgreSQL
// (docs/knowledge-base.md): who reads what, search in three languages, versions, reports.
let t: TestHub;
let db: Database;
const PASSWORD = 'kb-password-123';

let acme: KnowledgeTenant;
let other: KnowledgeTenant;

interface Article {
  id: string;
  state: string;
  audience: string;
  translations: {
    language: string;
    title: string;
    html: string;
    version: number;
    markdown?: string;
  }[];
}
interface Hit {
  id: string;
  title: string;
  language: string;
  titleMarks: { text: string; mark: boolean }[];
  excerpt: { text: string; mark: boolean }[];
}
const marked = (h: Hit) => h.excerpt.filter((s) => s.mark).map((s) => s.text);

const tenant = (slug: string) => knowledgeTenant(t.api, slug, PASSWORD);

const write = (api: ApiClient, body: Record<string, unknown>) =>
  api.post<Article>('/api/v1/knowledge/articles', body);

let vpn: Article;
let internal: Article;

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  acme = await tenant('acme');
  other = await tenant('other');
  vpn = await write(acme.editor, {
    category: 'network',
    tags: ['vpn'],
    audience: 'public',
    state: 'published',
    translations: [
      {
        language: 'fa',
        // Arabic yeh and kaf, a zero-width non-joiner and Persian digits, as people type them.
        title: 'اتصال VPN شعبه قطع مي‌شود',
        body: 'اگر اتصال قطع شد، مودم را خاموش و روشن كنيد و ۵ دقيقه صبر کنید.',
      },
      {
        language: 'en',
        title: 'The branch VPN keeps dropping',
        body: 'If the tunnels drop, restart the modem and wait 5 minutes.',
      },
      {
        language: 'fr',
        title: 'Le VPN de l’agence se coupe',
        body: 'Si les réseaux tombent, redémarrez le modem et attendez 5 minutes.',
      },
    ],
  });
  internal = await write(acme.editor, {
    audience: 'internal',
    state: 'published',
    translations: [
      {
        language: 'en',
        title: 'Modem admin password rotation',
        body: 'Rotate the modem password.',
      },
    ],
  });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

describe('search', () => {
  it('finds Persian however yeh, kaf, the non-joiner and digits were typed, with highlights', async () => {
    for (const q of [
      'می شود',
      'می\u200cشود',
      'میشود',
      'کنید',
      'كنيد',
      '۵ دقیقه',
      '5 دقيقه',
      'مودم',
    ]) {
      const { items } = await acme.requester.get<{ items: Hit[] }>(
        `/api/v1/knowledge/search?language=fa&q=${encodeURIComponent(q)}`,
      );
      expect(
        items.map((h) => [h.id, h.language]),
        q,
      ).toEqual([[vpn.id, 'fa']]);
    }
    const { items } = await acme.requester.get<{ items: Hit[] }>(
      `/api/v1/knowledge/search?language=fa&q=${encodeURIComponent('مودم')}`,
    );
    expect(marked(items[0]!)).toEqual(['مودم']);
  });

  it('finds a body that writes the verb prefix with a space by the verb written joined', async () => {
    // In another tenant, so that acme's searches above and below are not changed by it.
    const printer = await write(other.editor, {
      audience: 'public',
      state: 'published',
      translations: [{ language: 'fa', title: 'چاپگر', body: 'چاپگر شعبه روشن نمی شود.' }],
    });
    for (const q of ['نمیشود', 'نمی\u200cشود', 'نمی شود']) {
      const { items } = await other.requester.get<{ items: Hit[] }>(
        `/api/v1/knowledge/search?language=fa&q=${encodeURIComponent(q)}`,
      );
      expect(
        items.map((h) => h.id),
        q,
      ).toEqual([printer.id]);
    }
  });

  it('stems English and French in their own configurations', async () => {
    const en = await acme.requester.get<{ items: Hit[] }>('/api/v1/knowledge/search?q=tunnel');
    expect(en.items.map((h) => h.language)).toEqual(['en']);
    expect(marked(en.items[0]!)).toEqual(['tunnels']);
    const fr = await acme.requester.get<{ items: Hit[] }>(
      `/api/v1/knowledge/search?language=fr&q=${encodeURIComponent('réseau')}`,
    );
    expect(fr.items.map((h) => h.language)).toEqual(['fr']);
    // A word in every translation: the reader's language comes first.
    const modem = await acme.requester.get<{ items: Hit[] }>(
      '/api/v1/knowledge/search?language=fr&q=modem',
    );
    expect(modem.items.map((h) => h.language)).toEqual(['fr']);
  });

  it('suggests from any word of a subject while it is typed, a prefix included', async () => {
    const { items } = await acme.requester.get<{ items: Hit[] }>(
      '/api/v1/knowledge/suggestions?q=printer%20and%20vp',
    );
    expect(items.map((h) => h.id)).toEqual([vpn.id]);
    expect(items[0]!.titleMarks.filter((s) => s.mark).map((s) => s.text)).toEqual(['VPN']);
  });

  it('refuses an empty query with the field named', async () => {
    const res = await acme.requester.request('GET', '/api/v1/knowledge/search?q=');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION' } });
    expect(JSON.stringify(res.body)).toContain('q');
  });
});

describe('who reads what', () => {
  it('shows a requester no internal article: not in search, not in the list, 404 by id', async () => {
    const found = await acme.requester.get<{ items: Hit[] }>('/api/v1/knowledge/search?q=modem');
    expect(found.items.map((h) => h.id)).toEqual([vpn.id]);
    const list = await acme.requester.get<{ items: { id: string }[] }>(
      '/api/v1/knowledge/articles',
    );
    expect(list.items.map((a) => a.id)).toEqual([vpn.id]);
    const res = await acme.requester.request('GET', `/api/v1/knowledge/articles/${internal.id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'BW_ERR_ARTICLE_NOT_FOUND' } });
    // Staff read it.
    const staff = await acme.editor.get<{ items: Hit[] }>('/api/v1/knowledge/search?q=modem');
    expect(staff.items.map((h) => h.id).sort()).toEqual([vpn.id, internal.id].sort());
  });

  it('gives readers sanitised HTML and no Markdown; editors both', async () => {
    const read = await acme.requester.get<Article>(`/api/v1/knowledge/articles/${vpn.id}`);
    expect(read.translations.map((x) => x.markdown)).toEqual([undefined, undefined, undefined]);
    expect(read.translations[0]!.html).toContain('<p>If the tunnels drop');
    const edit = await acme.editor.get<Article>(`/api/v1/knowledge/articles/${vpn.id}`);
    expect(edit.translations[0]!.markdown).toContain('If the tunnels drop');
  });

  it("shows another tenant nothing of this tenant's, and everyone the shared articles", async () => {
    const shared = await write(t.api, {
      audience: 'public',
      state: 'published',
      translations: [{ language: 'en', title: 'Resetting your password', body: 'Ask your admin.' }],
    });
    for (const api of [other.requester, other.editor]) {
      const res = await api.request('GET', `/api/v1/knowledge/articles/${vpn.id}`);
      expect(res.status).toBe(404);
      const found = await api.get<{ items: Hit[] }>('/api/v1/knowledge/search?q=modem');
      expect(found.items).toEqual([]);
      const password = await api.get<{ items: Hit[] }>('/api/v1/knowledge/search?q=password');
      expect(password.items.map((h) => h.id)).toEqual([shared.id]);
    }
    // A tenant reads a shared article and cannot change it.
    const change = await other.editor.request('PATCH', `/api/v1/knowledge/articles/${shared.id}`, {
      state: 'archived',
    });
    expect(change.status).toBe(403);
    const edit = await other.editor.request(
      'PUT',
      `/api/v1/knowledge/articles/${shared.id}/translations/en`,
      { title: 'hacked', body: 'hacked' },
    );
    expect(edit.status).toBe(403);
    // Nor write an article for another tenant.
    const foreign = await other.editor.request('POST', '/api/v1/knowledge/articles', {
      tenantId: acme.id,
      translations: [{ language: 'en', title: 'x', body: 'x' }],
    });
    expect(foreign.status).toBe(400);
  });

  it('lets a requester not write, and a draft is for editors only', async () => {
    const res = await acme.requester.request('POST', '/api/v1/knowledge/articles', {
      translations: [{ language: 'en', title: 'x', body: 'x' }],
    });
    expect(res.status).toBe(403);
    const draft = await write(acme.editor, {
      audience: 'public',
      translations: [{ language: 'en', title: 'Unfinished modem guide', body: 'todo' }],
    });
    expect(draft.state).toBe('draft');
    expect(
      (await acme.requester.request('GET', `/api/v1/knowledge/articles/${draft.id}`)).status,
    ).toBe(404);
    expect(
      (await acme.editor.request('GET', `/api/v1/knowledge/articles/${draft.id}`)).status,
    ).toBe(200);
  });
});

describe('versions', () => {
  it('keeps every saved text, diffs it, and rolls back in one call, recorded in the audit chain', async () => {
    const url = `/api/v1/knowledge/articles/${vpn.id}`;
    const saved = await acme.editor.request('PUT', `${url}/translations/en`, {
      title: 'The branch VPN keeps dropping',
      body: 'If the tunnels drop, call the carrier.',
    });
    expect(saved.status).toBe(200);
    const { items } = await acme.editor.get<{
      items: { version: number; diff: { kind: string; text: string }[]; author: string }[];
    }>(`${url}/versions?language=en`);
    expect(items.map((v) => v.version)).toEqual([2, 1]);
    expect(items[0]!.author).toBe(acme.agentName);
    expect(items[0]!.diff.filter((d) => d.kind !== 'same')).toEqual([
      { kind: 'removed', text: 'If the tunnels drop, restart the modem and wait 5 minutes.' },
      { kind: 'added', text: 'If the tunnels drop, call the carrier.' },
    ]);
    const back = await acme.editor.post<Article>(`${url}/rollback`, { language: 'en', version: 1 });
    const en = back.translations.find((x) => x.language === 'en')!;
    expect(en.version).toBe(3);
    expect(en.markdown).toBe('If the tunnels drop, restart the modem and wait 5 minutes.');
    const audit = await db('audit_log').where({ action: 'knowledge.rolled_back' }).first();
    expect(audit).toMatchObject({ target: `article:${vpn.id}`, actor: acme.agentName });
    expect(audit.details).toMatchObject({ language: 'en', from: 2, to: 1, newVersion: 3 });
    const missing = await acme.editor.request('POST', `${url}/rollback`, {
      language: 'en',
      version: 9,
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'BW_ERR_VALIDATION' } });
  });
});

describe('deflections and the report of searches that found nothing', () => {
  it('counts both for the editors', async () => {
    await acme.requester.get('/api/v1/knowledge/search?q=scanner%20jammed');
    await acme.requester.get('/api/v1/knowledge/search?q=Scanner%20jammed');
    const res = await acme.requester.request(
      'POST',
      `/api/v1/knowledge/articles/${vpn.id}/deflections`,
      { query: 'vpn' },
    );
    expect(res.status).toBe(204);
    // An article the reader cannot see cannot be counted.
    const hidden = await acme.requester.request(
      'POST',
      `/api/v1/knowledge/articles/${internal.id}/deflections`,
      {},
    );
    expect(hidden.status).toBe(404);
    const report = await acme.editor.get<{
      unansweredQueries: { query: string; count: number }[];
      deflections: { articleId: string; count: number }[];
    }>('/api/v1/knowledge/report');
    expect(report.unansweredQueries).toContainEqual(
      expect.objectContaining({ query: 'scanner jammed', count: 2 }),
    );
    expect(report.deflections).toEqual([expect.objectContaining({ articleId: vpn.id, count: 1 })]);
    // Another tenant's report holds none of it.
    const theirs = await other.editor.get<{ unansweredQueries: unknown[]; deflections: unknown[] }>(
      '/api/v1/knowledge/report',
    );
    expect(theirs.unansweredQueries).not.toContainEqual(
      expect.objectContaining({ query: 'scanner jammed' }),
    );
    expect(theirs.deflections).toEqual([]);
    expect((await acme.requester.request('GET', '/api/v1/knowledge/report')).status).toBe(403);
  });
});

describe('from a ticket', () => {
  it('drafts an article from a resolved ticket, the people left out', async () => {
    const { ticket } = await acme.editor.post<{ ticket: { id: string } }>('/api/v1/tickets', {
      subject: 'Sara Ahmadi cannot print',
      body: 'Sara Ahmadi here, reach me at sara@example.com or +98 21 8888 7777.',
      branchId: acme.branch,
      requesterName: 'Sara Ahmadi',
      requesterContact: '+98 21 8888 7777',
    });
    await acme.editor.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'Hi Sara, restart the print spooler. Regards, acme-agent',
    });
    await acme.editor.post(`/api/v1/tickets/${ticket.id}/replies`, {
      body: 'internal: her manager is Reza',
      visibility: 'internal',
    });
    const early = await acme.editor.request(
      'POST',
      `/api/v1/knowledge/tickets/${ticket.id}/draft`,
      {},
    );
    expect(early.status).toBe(409);
    await acme.editor.request('PATCH', `/api/v1/tickets/${ticket.id}`, { state: 'resolved' });
    const draft = await acme.editor.post<Article>(`/api/v1/knowledge/tickets/${ticket.id}/draft`, {
      language: 'en',
    });
    expect(draft.state).toBe('draft');
    const en = draft.translations[0]!;
    expect(en.title).toBe('[name] cannot print');
    expect(en.markdown).toBe(
      '## Problem\n\n[name] here, reach me at [e-mail] or [phone].\n\n' +
        '## Solution\n\nHi [name], restart the print spooler. Regards, [name]\n',
    );
    // Another tenant cannot draft from it.
    const foreign = await other.editor.request(
      'POST',
      `/api/v1/knowledge/tickets/${ticket.id}/draft`,
      {},
    );
    expect(foreign.status).toBe(404);
  });
});

describe('replying with an article', () => {
  it("finds what the ticket's requester may read and gives its text; staff articles never", async () => {
    const { ticket } = await acme.editor.post<{ ticket: { id: string } }>('/api/v1/tickets', {
      subject: 'The modem blinks',
      body: 'Red light since nine.',
      branchId: acme.branch,
    });
    const path = `/api/v1/knowledge/tickets/${ticket.id}/articles`;
    // The agent reads the staff article too, but the requester would not: not offered.
    const staff = await acme.editor.get<{ items: Hit[] }>('/api/v1/knowledge/search?q=modem');
    expect(staff.items.map((h) => h.id)).toContain(internal.id);
    const found = await acme.editor.get<{ items: Hit[] }>(`${path}?q=modem`);
    expect(found.items.map((h) => h.id)).toEqual([vpn.id]);
    const persian = await acme.editor.get<{ items: Hit[] }>(
      `${path}?language=fa&q=${encodeURIComponent('مودم')}`,
    );
    expect(persian.items.map((h) => [h.id, h.language])).toEqual([[vpn.id, 'fa']]);
    // As a global admin (no tenant) too: the ticket's tenant decides, not the caller's.
    const global = await t.api.get<{ items: Hit[] }>(`${path}?q=modem`);
    expect(global.items.map((h) => h.id)).toEqual([vpn.id]);

    const text = await acme.editor.get<{ title: string; text: string; language: string }>(
      `${path}/${vpn.id}?language=fr`,
    );
    expect(text).toEqual({
      id: vpn.id,
      language: 'fr',
      title: 'Le VPN de l’agence se coupe',
      text: 'Si les réseaux tombent, redémarrez le modem et attendez 5 minutes.',
    });
    expect((await acme.editor.request('GET', `${path}/${internal.id}?language=en`)).status).toBe(
      404,
    );
    // Another tenant's agent knows nothing of the ticket.
    const foreign = await other.editor.request('GET', `${path}?q=modem`);
    expect(foreign.status).toBe(404);
    expect((await other.editor.request('GET', `${path}/${vpn.id}?language=en`)).status).toBe(404);
    const empty = await acme.editor.request('GET', `${path}?q=`);
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'q' } },
    });
  });
});

describe('highlights for the portal', () => {
  it("lists the most helpful public articles in the reader's language first, then the newest", async () => {
    const front = await tenant('front');
    const publish = (body: Record<string, unknown>) =>
      write(front.editor, { audience: 'public', state: 'published', ...body });
    const printer = await publish({
      translations: [{ language: 'en', title: 'The printer jams', body: 'Open the tray.' }],
    });
    const wifi = await publish({
      translations: [
        { language: 'en', title: 'The Wi-Fi password', body: 'Ask the manager.' },
        { language: 'fa', title: 'رمز وای‌فای', body: 'از مدیر بپرسید.' },
      ],
    });
    const fresh = await publish({
      translations: [{ language: 'en', title: 'New till software', body: 'Restart the till.' }],
    });
    const staff = await write(front.editor, {
      audience: 'internal',
      state: 'published',
      translations: [{ language: 'en', title: 'Router passwords', body: 'In the safe.' }],
    });
    const draft = await write(front.editor, {
      audience: 'public',
      translations: [{ language: 'en', title: 'Not yet', body: 'Soon.' }],
    });
    const solved = (id: string) =>
      front.requester.request('POST', `/api/v1/knowledge/articles/${id}/deflections`, {});
    await solved(printer.id);
    await solved(printer.id);
    await solved(wifi.id);

    type Highlight = { id: string; title: string; language: string; solved: number };
    type Highlights = { popular: Highlight[]; recent: Highlight[] };
    const own = new Set([printer.id, wifi.id, fresh.id, staff.id, draft.id]);
    const mine = (h: Highlights) => ({
      popular: h.popular.filter((x) => own.has(x.id)).map((x) => [x.title, x.language, x.solved]),
      recent: h.recent.filter((x) => own.has(x.id)).map((x) => x.title),
    });
    const fa = await front.requester.get<Highlights>('/api/v1/knowledge/highlights?language=fa');
    expect(mine(fa)).toEqual({
      popular: [
        ['رمز وای‌فای', 'fa', 1],
        ['The printer jams', 'en', 2],
      ],
      recent: ['New till software'],
    });
    const en = await front.requester.get<Highlights>('/api/v1/knowledge/highlights?language=en');
    expect(mine(en).popular.map(([title]) => title)).toEqual([
      'The printer jams',
      'The Wi-Fi password',
    ]);
    // Another tenant's people see none of it.
    const theirs = await other.requester.get<Highlights>(
      '/api/v1/knowledge/highlights?language=en',
    );
    expect(mine(theirs)).toEqual({ popular: [], recent: [] });
    const bad = await front.requester.request('GET', '/api/v1/knowledge/highlights?language=de');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'language' } },
    });
  });
});

describe('the list', () => {
  it('lists the articles without a category with uncategorised=true, a clear parameter', async () => {
    type Summary = { id: string; category: string };
    const none = await acme.editor.get<{ items: Summary[] }>(
      '/api/v1/knowledge/articles?uncategorised=true',
    );
    expect(none.items.map((a) => a.id)).toContain(internal.id);
    expect(none.items.every((a) => a.category === '')).toBe(true);
    const network = await acme.editor.get<{ items: Summary[] }>(
      '/api/v1/knowledge/articles?category=network',
    );
    expect(network.items.map((a) => a.id)).toEqual([vpn.id]);
    // "-" is a category's name like any other, not a sign for "none".
    const dash = await acme.editor.get<{ items: Summary[] }>(
      '/api/v1/knowledge/articles?category=-',
    );
    expect(dash.items).toEqual([]);
    const both = await acme.editor.request(
      'GET',
      '/api/v1/knowledge/articles?uncategorised=true&category=network',
    );
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({
      error: { code: 'BW_ERR_VALIDATION', details: { field: 'uncategorised' } },
    });
    const wrong = await acme.editor.request('GET', '/api/v1/knowledge/articles?uncategorised=yes');
    expect(wrong.status).toBe(400);
  });
});
