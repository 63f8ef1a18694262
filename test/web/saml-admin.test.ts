import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.js';
import { startTestHub, type TestHub } from '../support/hub.js';
import { startSamlIdp, type TestSamlIdp } from '../support/saml-idp.js';
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
 * A tenant's admin sets up their SAML 2.0 IdP in Admin → Sign-in providers, in Chromium against
 * a real hub and an IdP built on samlify on loopback: pastes the IdP's metadata and reads it
 * into the entity ID, sign-in URL and certificate; saves; reads the hub's own values to give
 * the IdP's admin and the certificate's end date (a warning: it ends within 14 days); then
 * tests the provider — a sign-in in a new window, at the IdP as a person of the directory —
 * and reads what the IdP sent and the role it would give, with nobody signed in. The dialogs
 * are walked at 390×844 and 1440×900 in en, fa and fr.
 */

const TINA = 'tina-admin-password';

let t: TestHub;
let idp: TestSamlIdp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let tenantId: string;
/** Where the provider sent the test's window back: the page with what the IdP said. */
let resultAddress: string;
const shots = path.join(screenshotDir, 'saml-admin');

beforeAll(async () => {
  await fs.mkdir(shots, { recursive: true });
  t = await startTestHub();
  idp = await startSamlIdp();
  idp.people.set('nadia', { email: 'nadia@east.example', groups: ['Staff', 'East NOC'] });
  const { items } = await t.api.get<{ items: { id: string; slug: string }[] }>('/api/v1/tenants');
  tenantId = items.find((x) => x.slug === 'default')!.id;
  await t.api.post('/api/v1/users', {
    username: 'tina',
    password: TINA,
    role: 'tenant_admin',
    tenantId,
  });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await idp?.stop();
});

async function openPage(size: (typeof SIZES)[number], language: (typeof LANGUAGES)[number]) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: size.width, height: size.height });
  await signIn(page, `${t.api.baseUrl}/admin/sso`, 'tina', TINA);
  await useScheme(page, 'light');
  await chooseLanguage(page, language);
  return page;
}

describe("a tenant's admin and their SAML IdP", () => {
  it('reads the metadata, saves, copies the hub’s values, and tests a person’s sign-in', async () => {
    await browser.context.clearCookies();
    const page = await openPage(SIZES[1], 'en');
    await page.getByRole('button', { name: 'Add a provider' }).click();
    const dialog = page.getByTestId('provider-dialog');
    await dialog.getByLabel('Kind').selectOption({ label: 'SAML 2.0' });
    await dialog.getByLabel('Name').fill('East SAML');
    await dialog.getByLabel('E-mail domains').fill('east.example');

    // Not metadata first: said in words, and nothing filled in.
    await dialog.getByLabel("Provider's metadata (XML)").fill('<html>not metadata</html>');
    await dialog.getByRole('button', { name: 'Read the metadata' }).click();
    await dialog
      .getByText('This metadata describes no identity provider (no IDPSSODescriptor).')
      .waitFor();
    await dialog.getByLabel("Provider's metadata (XML)").fill(idp.metadataXml);
    await dialog.getByRole('button', { name: 'Read the metadata' }).click();
    await dialog
      .getByText(
        'Read: entity ID, sign-in URL and the certificate filled in below. Save to keep them.',
      )
      .waitFor();
    expect(await dialog.getByLabel("Provider's entity ID").inputValue()).toBe(idp.entityId);
    expect(await dialog.getByLabel('Sign-in URL').inputValue()).toBe(idp.ssoUrl);
    expect(await dialog.getByLabel('Sign-out URL').inputValue()).toBe(idp.sloUrl);
    expect(await dialog.getByLabel('Signing certificate (PEM)').inputValue()).toMatch(
      /^-----BEGIN CERTIFICATE-----\n/,
    );
    await dialog.getByRole('button', { name: 'Add a rule' }).click();
    await dialog.getByLabel('Claim', { exact: true }).fill('groups');
    await dialog.getByLabel('Value', { exact: true }).fill('East NOC');
    await dialog.getByLabel('Role', { exact: true }).selectOption({ label: 'NOC operator' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByTestId('provider-row').filter({ hasText: 'East SAML' });
    await expect.poll(() => row.textContent()).toContain('SAML 2.0');
    const { items } = await t.api.get<{
      items: {
        id: string;
        name: string;
        settings: { idpSloUrl?: string };
        idpCertificates: { notAfter: string }[];
        spCertificates: { use: string; notAfter: string; pem: string }[];
      }[];
    }>('/api/v1/identity-providers');
    const saved = items.find((p) => p.name === 'East SAML')!;
    expect(saved.settings.idpSloUrl).toBe(idp.sloUrl);

    // The hub's values for the IdP's admin, and the certificate's end in the reader's calendar.
    await row.getByTestId('provider-edit').click();
    await dialog.getByText("This hub, for the provider's admin").waitFor();
    const base = `${t.api.baseUrl}/sso/${saved.id}/saml`;
    expect(await dialog.getByTestId('sp-entity-id').textContent()).toBe(`${base}/metadata`);
    expect(await dialog.getByTestId('sp-acs-url').textContent()).toBe(`${base}/acs`);
    expect(await dialog.getByTestId('sp-metadata-url').textContent()).toBe(`${base}/metadata`);
    expect(await dialog.getByTestId('sp-slo-url').textContent()).toBe(`${base}/slo`);
    const ends = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(
      new Date(saved.idpCertificates[0]!.notAfter),
    );
    await dialog
      .getByText(
        `Signing certificate ends on ${ends}: ask for the new one and paste it beside this one`,
      )
      .waitFor();
    await page.screenshot({ path: path.join(shots, 'edit-desktop-en.png'), fullPage: true });

    // The hub's own certificates, each end in the reader's calendar, and a rotation confirmed.
    const day = (iso: string) =>
      new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date(iso));
    const hubCerts = dialog.getByTestId('hub-certificates');
    const signing = saved.spCertificates.find((c) => c.use === 'signing')!;
    await hubCerts
      .getByText(`Signing certificate (requests) valid until ${day(signing.notAfter)}`)
      .waitFor();
    await hubCerts
      .getByText(
        `Encryption certificate (assertions) valid until ${day(saved.spCertificates[1]!.notAfter)}`,
      )
      .waitFor();
    await hubCerts.getByRole('button', { name: 'Rotate the certificates…' }).click();
    await hubCerts
      .getByText(
        "New certificates replace these at once: sign-ins fail until the provider's admin imports the hub's metadata again. Rotate now?",
      )
      .waitFor();
    // Cancel changes nothing; Rotate now makes new ones.
    await hubCerts.getByRole('button', { name: 'Cancel' }).click();
    await hubCerts.getByRole('button', { name: 'Rotate the certificates…' }).click();
    await hubCerts.getByRole('button', { name: 'Rotate now' }).click();
    await hubCerts
      .getByText(
        "New certificates made. Give the provider's admin the metadata URL to import again.",
      )
      .waitFor();
    const rotated = (
      await t.api.get<{ provider: { spCertificates: { pem: string }[] } }>(
        `/api/v1/identity-providers/${saved.id}`,
      )
    ).provider.spCertificates;
    expect(rotated[0]!.pem).not.toBe(signing.pem);
    const metadata = await (await fetch(`${base}/metadata`)).text();
    expect(metadata.replace(/\s/g, '')).toContain(
      rotated[0]!.pem.replace(/-----[A-Z ]+-----|\s/g, ''),
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // The test: the IdP's sign-in in a new window, whose answer comes back to this page.
    const opened = browser.context.waitForEvent('page');
    await row.getByRole('button', { name: 'Test' }).click();
    const popup = await opened;
    await popup.getByText('Test IdP').first().waitFor();
    await popup.getByLabel('Login').fill('nadia');
    await popup.getByRole('button', { name: 'Continue' }).click();
    const result = popup.getByTestId('sign-in-test-result');
    await result.getByText('What East SAML sent').waitFor();
    await result
      .getByText(
        'This was a test: nobody was signed in, no account was made and nobody’s access changed.',
      )
      .waitFor();
    const mapping = await result.getByTestId('sign-in-test-mapping').textContent();
    expect(mapping).toContain('nadia@east.example');
    expect(mapping).toContain('Would sign in as NOC operator, branches: all branches');
    expect(mapping).toContain(
      "This tenant does not trust the provider's MFA: the hub asks for its own code where it is required.",
    );
    await result.getByText('Attributes received').waitFor();
    const claims = await result.getByTestId('sign-in-test-claims').textContent();
    expect(claims).toContain('groups');
    expect(claims).toContain('East NOC');
    await popup.screenshot({ path: path.join(shots, 'result-desktop-en.png'), fullPage: true });
    resultAddress = popup.url();
    expect(new URL(resultAddress).pathname).toBe('/admin/sso');
    await popup.close();
    // Nobody was made, and the admin is still herself.
    const users = await t.api.get<{ items: { username: string }[] }>('/api/v1/users');
    expect(users.items.map((u) => u.username)).not.toContain('nadia@east.example');
    const me = (await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json())) as {
      user: { username: string };
    };
    expect(me.user.username).toBe('tina');
    await page.close();
  });

  it('tests in the same window when the browser blocks the new one, and comes back to the answer', async () => {
    // Chromium's own blocker lets a click's window.open through; a blocking extension, Safari's
    // "Block pop-ups" or Firefox's stricter settings answer null instead, as this window does.
    const blocked = await launchBrowser();
    try {
      await blocked.context.addInitScript(() => {
        (globalThis as unknown as { open: () => null }).open = () => null;
      });
      const page = await blocked.context.newPage();
      await page.setViewportSize({ width: SIZES[1].width, height: SIZES[1].height });
      await signIn(page, `${t.api.baseUrl}/admin/sso`, 'tina', TINA);
      await chooseLanguage(page, 'en');
      const row = page.getByTestId('provider-row').filter({ hasText: 'East SAML' });
      const windows = blocked.context.pages().length;
      await row.getByRole('button', { name: 'Test' }).click();
      // The IdP's sign-in in this very window.
      await page.getByText('Test IdP').first().waitFor();
      await page.getByLabel('Login').fill('nadia');
      await page.getByRole('button', { name: 'Continue' }).click();
      const result = page.getByTestId('sign-in-test-result');
      await result.getByText('What East SAML sent').waitFor();
      expect(await result.getByTestId('sign-in-test-mapping').textContent()).toContain(
        'Would sign in as NOC operator, branches: all branches',
      );
      expect(new URL(page.url()).pathname).toBe('/admin/sso');
      expect(blocked.context.pages()).toHaveLength(windows);
      await page.screenshot({ path: path.join(shots, 'result-same-window-desktop-en.png') });
      const me = (await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json())) as {
        user: { username: string };
      };
      expect(me.user.username).toBe('tina');
    } finally {
      await blocked.close();
    }
  });

  for (const size of SIZES)
    for (const language of LANGUAGES)
      it(`reads the SAML dialog and the test's answer without overflow (${size.name}, ${language})`, async () => {
        const page = await openPage(size, language);
        // The window the test's answer came back to, in the language chosen (kept by the browser).
        await page.goto(resultAddress);
        const result = page.getByTestId('sign-in-test-result');
        await result.getByTestId('sign-in-test-claims').waitFor();
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `result-${size.name}-${language}.png`) });
        await page.keyboard.press('Escape');
        await result.waitFor({ state: 'detached' });
        await page.getByTestId('provider-edit').first().click();
        const dialog = page.getByTestId('provider-dialog');
        await dialog.getByTestId('sp-acs-url').waitFor();
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `edit-${size.name}-${language}.png`) });
        await dialog.getByTestId('idp-certificates').scrollIntoViewIfNeeded();
        await noHorizontalOverflow(page);
        await page.screenshot({
          path: path.join(shots, `certificate-${size.name}-${language}.png`),
        });
        // The SHA-1 switch: off for a provider made now, said in words.
        const sha1 = dialog.getByTestId('provider-setting-acceptSha1');
        await sha1.scrollIntoViewIfNeeded();
        expect(await sha1.isChecked()).toBe(false);
        await noHorizontalOverflow(page);
        await page.screenshot({ path: path.join(shots, `sha1-${size.name}-${language}.png`) });
        const hubCerts = dialog.getByTestId('hub-certificates');
        await hubCerts.getByTestId('rotate-certificates').click();
        await hubCerts.getByTestId('rotate-confirm').scrollIntoViewIfNeeded();
        await noHorizontalOverflow(page);
        await page.screenshot({
          path: path.join(shots, `hub-certificates-${size.name}-${language}.png`),
        });
        await page.close();
      });
});
