import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import {
  chooseLanguage,
  noHorizontalOverflow,
  screenshotDir,
  signIn,
  useScheme,
  SIZES,
  LANGUAGES,
} from '../support/web-page.js';

/**
 * Provisioning from a directory, in Chromium against a real hub: a tenant's admin makes a SCIM
 * token in Admin → Users (phone and desktop, English, Persian and French), the directory
 * (the test, speaking SCIM) creates a person, the person signs in, and the directory's
 * deactivation ends the person's open page at once.
 */

const TINA = 'tina-admin-password';

let t: TestHub;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let tenantId: string;
let token = '';
const shots = path.join(screenshotDir, 'scim');

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  tenantId = items.find((x) => x.slug === 'default')!.id;
  await t.api.post('/api/v1/users', {
    username: 'tina',
    password: TINA,
    role: 'tenant_admin',
    tenantId,
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const scim = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`${t.api.baseUrl}/scim/v2${p}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/scim+json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as { id: string } & Record<string, unknown>,
  };
};

describe('SCIM tokens in Admin → Users', () => {
  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`are made and shown once (${size.name}, ${language})`, async () => {
        await browser.context.clearCookies();
        const page = await browser.context.newPage();
        await page.setViewportSize({ width: size.width, height: size.height });
        await signIn(page, `${t.api.baseUrl}/admin/users`, 'tina', TINA);
        await useScheme(page, 'light');
        await chooseLanguage(page, language);
        const card = page.getByTestId('scim-card');
        await card.scrollIntoViewIfNeeded();
        expect(await card.getByTestId('scim-endpoint').textContent()).toBe(
          `${t.api.baseUrl}/scim/v2`,
        );
        await card.getByTestId('scim-token-name').fill(`Entra ID ${size.name} ${language}`);
        await card.getByTestId('scim-token-create').click();
        const shown = card.getByTestId('scim-token-made-values');
        await shown.waitFor();
        token = (await shown.textContent())!.trim();
        expect(token).toMatch(/^bwscim_/);
        await expect.poll(() => card.getByTestId('scim-token').count()).toBeGreaterThan(0);
        await noHorizontalOverflow(page);
        await card.screenshot({ path: path.join(shots, `card-${size.name}-${language}.png`) });
        // The token works for SCIM.
        expect((await scim('GET', '/Users')).status).toBe(200);
        await page.close();
      });
});

describe('a person the directory deactivates', () => {
  it('loses the page they have open', async () => {
    const created = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'dana@example.com',
      name: { givenName: 'Dana', familyName: 'Rahimi' },
      active: true,
    });
    expect(created.status).toBe(201);
    // Until the directory's own sign-in reaches the hub, an admin hands Dana a password.
    await t.api.request('PATCH', `/api/v1/users/${created.body.id}`, {
      password: 'dana-first-password',
    });
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, `${t.api.baseUrl}/`, 'dana@example.com', 'dana-first-password');
    await page.getByTestId('logout').waitFor();
    await page.screenshot({ path: path.join(shots, 'dana-signed-in.png') });

    const off = await scim('PATCH', `/Users/${created.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.status).toBe(200);
    // The next thing the page asks the hub is refused, and it shows the sign-in form.
    await page.goto(`${t.api.baseUrl}/tickets`);
    await page.getByTestId('login-username').waitFor();
    await page.screenshot({ path: path.join(shots, 'dana-signed-out.png') });

    // Tina sees Dana as the directory's, and disabled, on her phone in Persian.
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, `${t.api.baseUrl}/admin/users`, 'tina', TINA);
    await chooseLanguage(page, 'fa');
    const row = page.locator('[data-testid=user-row][data-username="dana@example.com"]');
    await row.getByTestId('user-from-directory').waitFor();
    expect(await row.textContent()).toContain('غیرفعال');
    await noHorizontalOverflow(page);
    await row.screenshot({ path: path.join(shots, 'dana-row-phone-fa.png') });
    await page.close();
  });
});
