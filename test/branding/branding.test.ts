import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Database } from '@branchwatch/hub';
import { ApiClient, waitFor } from '../support/http.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startSmtpReceiver, type ReceivedMail } from '../support/smtp.js';
import { screenshotDir } from '../support/web-page.js';

// Branding through the real hub (docs/branding.md): a tenant admin sets the product name,
// accent and logo; the tenant's people read it, its notification mails (to a real SMTP
// server on loopback) and its ticket PDFs (read back with pdftotext) carry it; the hub's own
// branding shows where a tenant has none; another tenant's admin can neither read nor set it.

const PASSWORD = 'branding-pass-1';
let t: TestHub;
let db: Database;
let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
let mails: ReceivedMail[];
const as: Record<string, ApiClient> = {};
const tenants: Record<string, string> = {};
const branches: Record<string, string> = {};

/** A PNG of `w`×`h` in one colour, written here byte by byte (RFC 2083). */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).map((_, i) => rgb[i % 3]!)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(Array.from({ length: h }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const LOGO = png(96, 32, [11, 114, 133]);

// Without the direction marks pdftotext writes around right-to-left runs.
const pdfText = (bytes: Buffer) =>
  execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes, encoding: 'utf8' }).replace(
    /[\u200c\u200e\u200f\u202a-\u202e]/g,
    '',
  );

async function raw(api: ApiClient, method: string, url: string, body: Buffer, type: string) {
  const res = await api.fetch(url, { method, headers: { 'content-type': type }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Acme's admin uploads `body` as the tenant's logo, said to be of `type`. */
const putLogo = (body: Buffer, type: string) =>
  raw(as['acme-admin']!, 'PUT', '/api/v1/branding/settings/logo', body, type);

async function bytes(api: ApiClient, url: string) {
  const res = await api.fetch(url);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  mails = smtp.mails;
  t = await startTestHub({
    BW_SMTP_URL: smtp.url,
    BW_SMTP_FROM: 'Branchwatch <noc@branchwatch.test>',
    BW_NOTIFY_POLL_MS: '100',
  });
  db = connectDatabase(t.databaseUrl, { min: 0, max: 2 });
  for (const slug of ['acme', 'bravo']) {
    const { tenant } = await t.api.post<{ tenant: { id: string } }>('/api/v1/tenants', {
      slug,
      name: slug === 'acme' ? 'Acme' : 'Bravo',
    });
    tenants[slug] = tenant.id;
    const { branch } = await t.api.post<{ branch: { id: string } }>('/api/v1/branches', {
      slug: `${slug}-hq`,
      name: 'Head office',
      tenant: slug,
    });
    branches[slug] = branch.id;
    for (const [who, role] of [
      ['admin', 'tenant_admin'],
      ['clerk', 'requester'],
    ] as const) {
      const username = `${slug}-${who}`;
      await t.api.post('/api/v1/users', {
        username,
        password: PASSWORD,
        role,
        tenantId: tenant.id,
        branchIds: role === 'requester' ? [branch.id] : [],
      });
      as[username] = new ApiClient(t.api.baseUrl);
      await as[username].login(username, PASSWORD);
    }
  }
}, 120_000);

afterAll(async () => {
  await db?.destroy();
  await t?.stop();
  await smtp?.close();
});

type Brand = { productName: string; accentColor: string | null; logoVersion: string | null };
const brandOf = async (who: string) =>
  (await as[who]!.get<{ branding: Brand }>('/api/v1/branding')).branding;

describe('branding', () => {
  it("shows the hub's own branding where a tenant has none, then the tenant's own", async () => {
    expect(await brandOf('acme-clerk')).toEqual({
      productName: 'Branchwatch',
      accentColor: null,
      logoVersion: null,
    });
    // The global admin's defaults for every tenant.
    const hub = await t.api.request('PUT', '/api/v1/branding/settings', {
      productName: 'Network Care',
      accentColor: '#1864AB',
    });
    expect(hub.status).toBe(200);
    expect(await brandOf('bravo-clerk')).toMatchObject({
      productName: 'Network Care',
      accentColor: '#1864ab',
    });

    // Acme's admin: a yellow white text cannot be read on is refused, with why.
    const yellow = await as['acme-admin']!.request('PUT', '/api/v1/branding/settings', {
      productName: 'Acme Help',
      accentColor: '#ffcc00',
    });
    expect(yellow.status).toBe(400);
    expect(yellow.body).toMatchObject({
      error: { code: 'BW_ERR_ACCENT_CONTRAST', details: { field: 'accentColor' } },
    });
    expect(JSON.stringify(yellow.body)).toContain('4.5:1');
    const saved = await as['acme-admin']!.request('PUT', '/api/v1/branding/settings', {
      productName: 'Acme Help',
      accentColor: '#0b7285',
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      branding: {
        tenantId: tenants.acme,
        productName: 'Acme Help',
        accentColor: '#0b7285',
        hasLogo: false,
        fallback: { productName: 'Network Care', accentColor: '#1864ab' },
      },
    });
    expect(await brandOf('acme-clerk')).toMatchObject({
      productName: 'Acme Help',
      accentColor: '#0b7285',
      logoVersion: null,
    });
    expect(await brandOf('bravo-clerk')).toMatchObject({ productName: 'Network Care' });
  });

  it('takes a PNG logo, refuses SVG, look-alikes and big files, and serves it to the tenant', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const refusedSvg = await putLogo(svg, 'image/svg+xml');
    expect(refusedSvg.status).toBe(400);
    expect(refusedSvg.body).toMatchObject({ error: { code: 'BW_ERR_LOGO_TYPE' } });
    expect(JSON.stringify(refusedSvg.body)).toContain('SVG');
    // A PNG's first bytes before something that is no image.
    const fake = Buffer.concat([LOGO.subarray(0, 8), Buffer.from('not really an image')]);
    const refusedFake = await putLogo(fake, 'image/png');
    expect(refusedFake.status).toBe(400);
    expect(refusedFake.body).toMatchObject({ error: { code: 'BW_ERR_LOGO_TYPE' } });
    const big = Buffer.concat([LOGO, Buffer.alloc(300 * 1024)]);
    const refusedBig = await putLogo(big, 'image/png');
    expect(refusedBig.status).toBe(413);
    // A PNG said to be a JPEG.
    const mislabelled = await putLogo(LOGO, 'image/jpeg');
    expect(mislabelled.status).toBe(400);

    const ok = await putLogo(LOGO, 'image/png');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ branding: { hasLogo: true } });
    const brand = await brandOf('acme-clerk');
    expect(brand.logoVersion).toEqual(expect.any(String));
    const logo = await bytes(as['acme-clerk']!, `/api/v1/branding/logo?v=${brand.logoVersion}`);
    expect(logo.status).toBe(200);
    expect(logo.type).toBe('image/png');
    expect(logo.body.equals(LOGO)).toBe(true);
    // Bravo's people have no logo (the hub set none).
    expect((await bytes(as['bravo-clerk']!, '/api/v1/branding/logo')).status).toBe(404);
  });

  it("lets nobody of another tenant read or set Acme's branding, and no requester set any", async () => {
    const before = await db('branding').where({ tenant_id: tenants.acme }).first();
    const b = as['bravo-admin']!;
    const acme = tenants.acme!;
    for (const [method, url, body] of [
      ['GET', `/api/v1/branding/settings?tenantId=${acme}`, undefined],
      ['GET', `/api/v1/branding/settings/logo?tenantId=${acme}`, undefined],
      [
        'PUT',
        '/api/v1/branding/settings',
        { tenantId: acme, productName: 'Hacked', accentColor: null },
      ],
      ['DELETE', `/api/v1/branding/settings/logo?tenantId=${acme}`, undefined],
    ] as const) {
      const res = await b.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('Acme Help');
    }
    const logo = await raw(
      b,
      'PUT',
      `/api/v1/branding/settings/logo?tenantId=${acme}`,
      LOGO,
      'image/png',
    );
    expect(logo.status).toBe(404);
    // Bravo's admin reads and sets only Bravo's.
    expect(
      (await b.get<{ branding: { tenantId: string } }>('/api/v1/branding/settings')).branding
        .tenantId,
    ).toBe(tenants.bravo);
    expect(JSON.stringify(await b.get('/api/v1/branding'))).not.toContain('Acme Help');
    // A requester reads their own tenant's and changes nothing.
    for (const [method, url] of [
      ['GET', '/api/v1/branding/settings'],
      ['PUT', '/api/v1/branding/settings'],
      ['DELETE', '/api/v1/branding/settings/logo'],
    ] as const) {
      const res = await as['acme-clerk']!.request(
        method,
        url,
        method === 'PUT' ? { productName: 'x', accentColor: null } : undefined,
      );
      expect(res.status, `${method} ${url}`).toBe(403);
    }
    expect(await db('branding').where({ tenant_id: tenants.acme }).first()).toEqual(before);
  });

  it("mails Acme's people with its name, colour and logo, Bravo's with the hub's", async () => {
    for (const slug of ['acme', 'bravo']) {
      const res = await as[`${slug}-admin`]!.request('PUT', '/api/v1/notify/preferences', {
        email: `${slug}-admin@branchwatch.test`,
        channels: ['email'],
        events: ['ticket.opened'],
      });
      expect(res.status).toBe(200);
      await as[`${slug}-clerk`]!.post('/api/v1/portal/tickets', {
        subject: `Printer jammed at ${slug}`,
        body: 'Paper stuck in tray 2.',
        branchId: branches[slug],
      });
    }
    const mailTo = (address: string) =>
      waitFor(`the mail to ${address}`, async () => mails.find((m) => m.to.includes(address)));
    const acme = await mailTo('acme-admin@branchwatch.test');
    expect(acme.mail.from?.value).toEqual([{ name: 'Acme Help', address: 'noc@branchwatch.test' }]);
    expect(acme.mail.subject).toContain('Printer jammed at acme');
    const html = String(acme.mail.html);
    expect(html).toContain('Acme Help');
    expect(html).toContain('background:#0b7285');
    const inline = acme.mail.attachments.find((a) => a.contentType === 'image/png');
    expect(inline?.content.equals(LOGO)).toBe(true);
    // Shown in the header by its Content-ID (the parser turns it into the image's data).
    expect(inline!.cid).toBe('brand-logo@branchwatch');
    expect(html).toMatch(/<img src="(cid:brand-logo@branchwatch|data:image\/png;base64,)/);

    const bravo = await mailTo('bravo-admin@branchwatch.test');
    expect(bravo.mail.from?.value).toEqual([
      { name: 'Network Care', address: 'noc@branchwatch.test' },
    ]);
    expect(String(bravo.mail.html)).toContain('background:#1864ab');
    expect(String(bravo.mail.html)).not.toContain('Acme');
    expect(bravo.mail.attachments).toHaveLength(0);
  });

  it("writes Acme's name at the top of the ticket PDF, the portal's and the desk's", async () => {
    const { items } = await as['acme-clerk']!.get<{ items: { id: string }[] }>(
      '/api/v1/portal/tickets',
    );
    const ticketId = items[0]!.id;
    for (const [who, url] of [
      ['acme-clerk', `/api/v1/portal/tickets/${ticketId}/conversation.pdf?lang=en&zone=UTC`],
      ['acme-admin', `/api/v1/tickets/${ticketId}/conversation.pdf?lang=fa&zone=Asia/Tehran`],
    ] as const) {
      const pdf = await bytes(as[who]!, url);
      expect(pdf.status, url).toBe(200);
      const text = pdfText(pdf.body);
      expect(
        text
          .split('\n')
          .find((l) => l.trim())!
          .trim(),
      ).toBe('Acme Help');
      expect(text).toContain('Printer jammed at acme');
      await fs.mkdir(screenshotDir, { recursive: true });
      await fs.writeFile(path.join(screenshotDir, `branding-${who}.pdf`), pdf.body);
    }
  });
});
