import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '../db/database.js';
import type { ApiClient } from '../../../test/support/http.js';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { knowledgeTenant, type KnowledgeTenant } from '../../../test/support/knowledge.js';
import { pngImage } from '../../../test/support/png.js';
import { eicarTestFile, startClamd, type Clamd } from '../../../test/peers/clamd.js';

// An article's files and images through the real hub (docs/knowledge-base.md "Files and
// images"): the attachment store's bound, types and malware scan (Debian's clamd), read by
// whoever may read the article and by nobody else, a version's files, removal.
const PASSWORD = 'kb-files-password-123';
const MAX_BYTES = 64 * 1024;
const IMAGE = pngImage(40, 20);

let clamd: Clamd;
let t: TestHub;
let db: Database;

let acme: KnowledgeTenant;
let other: KnowledgeTenant;

interface Article {
  id: string;
  translations: { language: string; html: string; version: number }[];
}
interface StoredFile {
  id: string;
  articleId: string;
  name: string;
  mimeType: string;
  size: number;
}

const tenant = (slug: string) => knowledgeTenant(t.api, slug, PASSWORD);

const upload = (api: ApiClient, articleId: string, name: string, type: string, body: Buffer) =>
  fetch(
    `${api.baseUrl}/api/v1/knowledge/articles/${articleId}/files?name=${encodeURIComponent(name)}`,
    {
      method: 'PUT',
      headers: {
        'content-type': type,
        authorization: `Bearer ${(api as unknown as { token: string }).token}`,
      },
      body,
    },
  );
const download = (api: ApiClient, path: string) =>
  fetch(api.baseUrl + path, {
    headers: { authorization: `Bearer ${(api as unknown as { token: string }).token}` },
  });
const fileUrl = (f: StoredFile) => `/api/v1/knowledge/articles/${f.articleId}/files/${f.id}`;
const article = (api: ApiClient, body: Record<string, unknown>) =>
  api.post<Article>('/api/v1/knowledge/articles', body);
const storedNames = async (articleId: string) =>
  (await db('kb_files')
    .where({ article_id: articleId })
    .orderBy('created_at')
    .pluck('name')) as string[];

let draft: Article;
let image: StoredFile;

beforeAll(async () => {
  clamd = await startClamd();
  t = await startTestHub({
    BW_CLAMD_SOCKET: clamd.address,
    BW_CLAMD_TIMEOUT_SECONDS: '20',
    BW_ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  acme = await tenant('acme');
  other = await tenant('other');
  draft = await article(acme.editor, {
    audience: 'public',
    translations: [{ language: 'en', title: 'Where the modem is', body: 'Behind the counter.' }],
  });
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await clamd?.stop();
});

describe("an article's files", () => {
  it('stores an image an editor uploads, with its name, type and size, and lists it', async () => {
    const res = await upload(acme.editor, draft.id, 'modem map.png', 'image/png', IMAGE);
    expect(res.status).toBe(201);
    image = (await res.json()) as StoredFile;
    expect(image).toMatchObject({
      articleId: draft.id,
      name: 'modem map.png',
      mimeType: 'image/png',
      size: IMAGE.length,
    });
    const { items } = await acme.editor.get<{ items: StoredFile[] }>(
      `/api/v1/knowledge/articles/${draft.id}/files`,
    );
    expect(items.map((f) => f.name)).toEqual(['modem map.png']);
    const back = await download(acme.editor, fileUrl(image));
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('image/png');
    expect(back.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await back.arrayBuffer()).equals(IMAGE)).toBe(true);
  });

  it('shows the image in the text, and the version records it', async () => {
    const saved = await acme.editor.request(
      'PUT',
      `/api/v1/knowledge/articles/${draft.id}/translations/en`,
      {
        title: 'Where the modem is',
        body: `Behind the counter.\n\n![the modem](${fileUrl(image)})`,
      },
    );
    expect(saved.status).toBe(200);
    const html = (saved.body as unknown as Article).translations[0]!.html;
    expect(html).toContain(`<img src="${fileUrl(image)}" alt="the modem" />`);
    const { items } = await acme.editor.get<{ items: { version: number; files: string[] }[] }>(
      `/api/v1/knowledge/articles/${draft.id}/versions?language=en`,
    );
    expect(items.map((v) => [v.version, v.files])).toEqual([
      [2, [image.id]],
      [1, []],
    ]);
  });

  it('refuses what a ticket attachment refuses: a type, a size, an empty file, malware', async () => {
    const exe = await upload(acme.editor, draft.id, 'setup.exe', 'application/x-msdownload', IMAGE);
    expect(exe.status).toBe(415);
    expect(((await exe.json()) as { error: { code: string } }).error.code).toBe(
      'BW_ERR_ATTACHMENT_TYPE',
    );
    const big = await upload(
      acme.editor,
      draft.id,
      'big.png',
      'image/png',
      Buffer.concat([IMAGE, randomBytes(MAX_BYTES)]),
    );
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe(
      'BW_ERR_ATTACHMENT_TOO_LARGE',
    );
    const empty = await upload(acme.editor, draft.id, 'empty.txt', 'text/plain', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    const infected = await upload(
      acme.editor,
      draft.id,
      'steps.txt',
      'text/plain',
      Buffer.concat([Buffer.from('steps\n'), eicarTestFile()]),
    );
    expect(infected.status).toBe(422);
    const { error } = (await infected.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('BW_ERR_ATTACHMENT_INFECTED');
    expect(error.message).toMatch(/^steps\.txt was not attached: the malware scanner found /);
    const audited = await db('audit_log').where({ action: 'attachment.infected' }).first();
    expect(audited.details).toMatchObject({ name: 'steps.txt', via: 'upload' });
    expect(await storedNames(draft.id)).toEqual(['modem map.png']);
  });

  it('lets only the editors of the tenant add files', async () => {
    const requester = await upload(acme.requester, draft.id, 'x.png', 'image/png', IMAGE);
    expect(requester.status).toBe(403);
    const stranger = await upload(other.editor, draft.id, 'x.png', 'image/png', IMAGE);
    expect(stranger.status).toBe(404);
    expect(await storedNames(draft.id)).toEqual(['modem map.png']);
  });

  it("gives a requester a published public article's image, not a draft's, an internal article's or another tenant's", async () => {
    // A draft: its image does not exist for the requester.
    expect((await download(acme.requester, fileUrl(image))).status).toBe(404);
    // Published for staff only: still none.
    await acme.editor.request('PATCH', `/api/v1/knowledge/articles/${draft.id}`, {
      state: 'published',
      audience: 'internal',
    });
    expect((await download(acme.requester, fileUrl(image))).status).toBe(404);
    expect(
      (await acme.requester.request('GET', `/api/v1/knowledge/articles/${draft.id}/files`)).status,
    ).toBe(404);
    // Published for everyone: the requester reads it, the other tenant's people never.
    await acme.editor.request('PATCH', `/api/v1/knowledge/articles/${draft.id}`, {
      audience: 'public',
    });
    const read = await download(acme.requester, fileUrl(image));
    expect(read.status).toBe(200);
    expect(Buffer.from(await read.arrayBuffer()).equals(IMAGE)).toBe(true);
    for (const api of [other.requester, other.editor]) {
      const res = await download(api, fileUrl(image));
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('modem');
    }
    // Archived: gone for the requester again.
    await acme.editor.request('PATCH', `/api/v1/knowledge/articles/${draft.id}`, {
      state: 'archived',
    });
    expect((await download(acme.requester, fileUrl(image))).status).toBe(404);
  });

  it("keeps another tenant's chunks out of PostgreSQL's answers (row-level security)", async () => {
    const seen = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [other.id]);
      return {
        files: await trx('kb_files').where({ id: image.id }).pluck('id'),
        chunks: await trx('kb_file_chunks').where({ file_id: image.id }).pluck('seq'),
        links: await trx('kb_version_files').where({ file_id: image.id }).pluck('version_id'),
      };
    });
    expect(seen).toEqual({ files: [], chunks: [], links: [] });
    const own = await db.transaction(async (trx) => {
      await trx.raw('SET LOCAL ROLE bw_api');
      await trx.raw("SELECT set_config('app.tenant_id', ?, true)", [acme.id]);
      return trx('kb_file_chunks').where({ file_id: image.id }).pluck('seq');
    });
    expect(own).toEqual([0]);
  });

  it('removes a file only once no current text shows it', async () => {
    const extra = (await (
      await upload(acme.editor, draft.id, 'notes.txt', 'text/plain', Buffer.from('notes'))
    ).json()) as StoredFile;
    const del = (f: StoredFile) => acme.editor.request('DELETE', fileUrl(f));
    const refused = await del(image);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'BW_ERR_FILE_IN_USE',
      message:
        'modem map.png is in the English text: take it out of the text and save before removing it',
    });
    expect((await del(extra)).status).toBe(204);
    expect((await download(acme.editor, fileUrl(extra))).status).toBe(404);
    await acme.editor.request('PUT', `/api/v1/knowledge/articles/${draft.id}/translations/en`, {
      title: 'Where the modem is',
      body: 'Behind the counter.',
    });
    expect((await del(image)).status).toBe(204);
    expect(await storedNames(draft.id)).toEqual([]);
    expect(await db('kb_file_chunks').where({ file_id: image.id }).pluck('seq')).toEqual([]);
    const actions = await db('audit_log')
      .where({ target: `article:${draft.id}` })
      .whereIn('action', ['knowledge.file_added', 'knowledge.file_removed'])
      .orderBy('seq')
      .pluck('action');
    expect(actions).toEqual([
      'knowledge.file_added',
      'knowledge.file_added',
      'knowledge.file_removed',
      'knowledge.file_removed',
    ]);
  });
});
