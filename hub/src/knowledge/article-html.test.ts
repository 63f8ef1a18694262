import { describe, expect, it } from 'vitest';
import {
  articleFilePath,
  articleText,
  filesShown,
  plainText,
  renderArticle,
} from './article-html.js';
import { PLACEHOLDERS_BY_LANGUAGE, withoutPersonalData } from './personal-data.js';
import { normalizeWords, tsqueryOf } from './search-words.js';

// Stored XSS attempts an editor could type into an article's Markdown: none may survive.
// test/web/knowledge.test.ts puts the stored article into Chromium and checks nothing ran.
export const XSS_ATTEMPTS = [
  '<script>window.pwned = 1</script>',
  '<img src=x onerror="window.pwned = 1">',
  '<img src="/api/v1/knowledge/x.png" onload="window.pwned = 1">',
  '[click](javascript:window.pwned=1)',
  '<a href="JaVaScRiPt:window.pwned=1">a</a>',
  '<svg onload="window.pwned = 1"></svg>',
  '<iframe src="javascript:window.pwned=1"></iframe>',
  '<details open ontoggle="window.pwned = 1">x</details>',
  '<style>body { display: none }</style>',
  '<form action="https://evil.test/"><button>go</button></form>',
  '<a href="data:text/html,<script>window.pwned=1</script>">d</a>',
  '![x](https://tracker.test/pixel.png)',
  '<p style="background:url(javascript:alert(1))">styled</p>',
];

describe('article HTML', () => {
  it('renders Markdown: headings, lists, links, code, tables', () => {
    const html = renderArticle(
      '## Steps\n\n1. Restart the **modem**\n2. See [the guide](https://example.com/g)\n\n' +
        '```sh\nping 10.0.0.1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    );
    expect(html).toContain('<h2>Steps</h2>');
    expect(html).toContain('<li>Restart the <strong>modem</strong></li>');
    expect(html).toContain(
      '<a href="https://example.com/g" rel="noopener noreferrer nofollow">the guide</a>',
    );
    expect(html).toContain('<code class="language-sh">ping 10.0.0.1');
    expect(html).toContain('<td>1</td>');
  });

  const own = articleFilePath(
    '0b6c2f0e-1f52-4c55-9a43-6f1d2e3c4b5a',
    'a1d3e5f7-0000-4aaa-8bbb-123456789abc',
  );

  it("keeps an image from an article file's address on the hub, drops any other", () => {
    expect(renderArticle(`![map](${own})`)).toBe(`<p><img src="${own}" alt="map" /></p>`);
    for (const src of [
      'https://tracker.test/p.png',
      '//tracker.test/p.png',
      'javascript:window.pwned=1',
      'data:image/png;base64,iVBORw0KGgo=',
      // The hub's other routes: an image's request goes with the reader's cookie.
      '/api/v1/auth/logout',
      '/api/v1/knowledge/files/1',
      `${own}/../../../../auth/logout`,
      `https://tracker.test${own}`,
    ]) {
      expect(renderArticle(`![x](${src})`), src).toBe('<p></p>');
      expect(renderArticle(`<img src="${src}" alt="x">`), src).toBe('');
    }
  });

  it("finds the article's own files its text shows or links, not another article's", () => {
    const [articleId, fileId] = own.split('/').filter((p) => p.length === 36);
    const other = articleFilePath(fileId!, articleId!);
    const html = renderArticle(`![a](${own})\n\n[manual](${own}) [x](${other})`);
    expect(filesShown(html, articleId!)).toEqual([fileId]);
    expect(filesShown(renderArticle('no files'), articleId!)).toEqual([]);
  });

  it.each(XSS_ATTEMPTS)('leaves nothing that runs of %s', (attempt) => {
    const html = renderArticle(attempt);
    expect(html).not.toMatch(
      /<script|<iframe|<svg|<style|<form|\son\w+=|javascript:|data:|style=/i,
    );
    expect(html).not.toContain('tracker.test');
  });

  it('gives the plain words for search', () => {
    expect(plainText(renderArticle('# Title\n\nA & B <i>x</i>\n\n- one\n- two'))).toBe(
      'Title A & B x one two',
    );
  });
});

describe('personal data in a draft from a ticket', () => {
  it('replaces addresses, phone numbers, mentions and the names the ticket knows', () => {
    expect(
      withoutPersonalData(
        'Sara Ahmadi (sara.a@example.co.ir, ۰۹۱۲ ۳۴۵ ۶۷۸۹) asked @reza; Sara said 192.168.100.200 is down since 2026-11-03',
        ['Sara Ahmadi'],
      ),
    ).toBe(
      '[name] ([e-mail], [phone]) asked [name]; [name] said 192.168.100.200 is down since 2026-11-03',
    );
  });

  it('replaces street addresses in English, French and Persian, and keeps the rest', () => {
    expect(withoutPersonalData('Come to 221 Baker Street, London. Port 443 open.', [])).toBe(
      'Come to [address], London. Port 443 open.',
    );
    expect(
      withoutPersonalData('Livré au 4 bis rue de la Paix ; redémarrez le routeur.', [], {
        ...PLACEHOLDERS_BY_LANGUAGE.fr,
      }),
    ).toBe('Livré au [adresse] ; redémarrez le routeur.');
    expect(
      withoutPersonalData(
        'نشانی: خیابان ولیعصر، کوچه ۱۲، پلاک ۳۴، واحد ۵. مودم را ریست کنید.',
        [],
        PLACEHOLDERS_BY_LANGUAGE.fa,
      ),
    ).toBe('نشانی: [نشانی]. مودم را ریست کنید.');
    // Persian words for what was left out, in a Persian draft.
    expect(
      withoutPersonalData(
        'سارا: ۰۹۱۲ ۳۴۵ ۶۷۸۹ و sara@example.ir',
        ['سارا'],
        PLACEHOLDERS_BY_LANGUAGE.fa,
      ),
    ).toBe('[نام]: [تلفن] و [ایمیل]');
  });
});

describe('search words', () => {
  it('unifies Persian spellings as the database does', () => {
    expect(normalizeWords('كي مي‌شود ۱۲ ٣')).toBe('کی میشود 12 3');
    expect(normalizeWords('نمی شود')).toBe('نمیشود');
  });

  it('lets only letters and digits into a tsquery', () => {
    expect(tsqueryOf("wan & !link | ') down", 'all')).toBe('wan & link & down:*');
    expect(tsqueryOf('printer a vp', 'any')).toBe('printer:* | a | vp:*');
    expect(tsqueryOf(' !!! ', 'all')).toBeUndefined();
  });
});

describe('article text for a reply', () => {
  it('keeps headings, paragraphs, numbered and bulleted lists, links and code', () => {
    const html = renderArticle(
      '## What to do\n\nWhen the **modem** blinks red:\n\n1. Unplug it.\n2. Wait 30 s &amp; plug it in.\n\n' +
        '- one\n  - nested\n- two\n\nSee [the guide](https://example.com/g?a=1&b=2) or https://example.com/x.\n\n' +
        '```\nping 10.0.0.1\n  -c 3\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    );
    expect(articleText(html)).toBe(
      [
        'What to do',
        '',
        'When the modem blinks red:',
        '',
        '1. Unplug it.',
        '2. Wait 30 s & plug it in.',
        '',
        '- one',
        '  - nested',
        '- two',
        '',
        'See the guide (https://example.com/g?a=1&b=2) or https://example.com/x.',
        '',
        'ping 10.0.0.1',
        '  -c 3',
        '',
        'a | b',
        '1 | 2',
      ].join('\n'),
    );
  });

  it('reads Persian text as it is, and an ordered list from its start', () => {
    const html = renderArticle('مودم را خاموش کنید.\n\n3. سوم\n4. چهارم\n');
    expect(articleText(html)).toBe('مودم را خاموش کنید.\n\n3. سوم\n4. چهارم');
  });
});
