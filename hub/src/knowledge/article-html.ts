import { createRequire } from 'node:module';
import { Marked } from 'marked';
import type sanitizeHtmlModule from 'sanitize-html';

/**
 * sanitize-html (with htmlparser2 and postcss, about 19 MB) is loaded when the first article is
 * rendered, not at start (docs/benchmarks.md, "Time to chart and the idle hub"). It is
 * CommonJS, so it is required, which keeps rendering synchronous.
 */
let sanitizer: typeof sanitizeHtmlModule | undefined;
function sanitizeHtml(html: string, options: sanitizeHtmlModule.IOptions): string {
  sanitizer ??= createRequire(import.meta.url)('sanitize-html') as typeof sanitizeHtmlModule;
  return sanitizer(html, options);
}

/**
 * An article's Markdown becomes HTML here, on the hub, and only sanitised HTML is stored and
 * served (docs/knowledge-base.md "Writing"). marked passes raw HTML in Markdown through, so
 * everything it gives is put through sanitize-html with an allow-list: no script, style, event
 * handler, form, frame or `javascript:` link survives, whatever the editor typed. Images may
 * come only from the hub itself (an article's own files), as the Content-Security-Policy wants.
 */
const markdown = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE: sanitizeHtmlModule.IOptions = {
  allowedTags: [
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code'],
    ...['ul', 'ol', 'li', 'strong', 'em', 'del', 's', 'a', 'img', 'kbd', 'sup', 'sub'],
    ...['table', 'thead', 'tbody', 'tr', 'th', 'td'],
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    code: ['class'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  // Images from the hub only: a relative address (an article's file), never another host.
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Links leave the hub without telling it where from, and cannot reach back (tabnabbing).
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'noopener noreferrer nofollow' },
    }),
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !isArticleFile(frame.attribs.src),
};

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** Where the hub serves an article's file (article-file.routes.ts). */
export const articleFilePath = (articleId: string, fileId: string) =>
  `/api/v1/knowledge/articles/${articleId}/files/${fileId}`;
const FILE_PATH = new RegExp(`^/api/v1/knowledge/articles/(${UUID})/files/(${UUID})$`, 'i');

/**
 * An image is shown only from an article file's address on the hub: not another host, not a
 * `data:` or `javascript:` address, and not any other route of the hub (an image's request
 * carries the reader's cookie, so `/api/v1/…` elsewhere would be a request made in their name).
 */
function isArticleFile(src: string | undefined): boolean {
  return typeof src === 'string' && FILE_PATH.test(src);
}

/** The ids of `articleId`'s files that sanitised HTML shows or links to. */
export function filesShown(html: string, articleId: string): string[] {
  const ids = new Set<string>();
  for (const m of html.matchAll(/(?:src|href)="([^"]*)"/g)) {
    const found = FILE_PATH.exec(m[1]!);
    if (found && found[1]!.toLowerCase() === articleId.toLowerCase())
      ids.add(found[2]!.toLowerCase());
  }
  return [...ids];
}

/** Markdown (with any HTML in it) → HTML safe to put into a page of the hub's origin. */
export function renderArticle(md: string): string {
  const html = markdown.parse(md, { async: false });
  return sanitizeHtml(html, SANITIZE).trim();
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&nbsp;': ' ',
};

/** The words of sanitised HTML, one space between blocks: what search and highlights read. */
export function plainText(html: string): string {
  const spaced = html.replace(/<\/(p|h[1-6]|li|pre|blockquote|tr|td|th)>|<br\s*\/?>/g, ' $&');
  const text = sanitizeHtml(spaced, { allowedTags: [], allowedAttributes: {} });
  return text
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Sanitised article HTML as plain text that keeps its shape, for a ticket reply (which is plain
 * text): a line per paragraph or heading, an empty line between blocks, list items as "1." or
 * "-", a link's address after its words when they differ. Reads only the tags the sanitiser
 * lets through (SANITIZE above), so a regular tokenizer is enough.
 */
export function articleText(html: string): string {
  const out: string[] = [];
  let line = '';
  const lists: { ordered: boolean; n: number }[] = [];
  const links: { href: string; start: number }[] = [];
  let pre = false;
  const endLine = () => {
    // A table row's last cell leaves its separator behind.
    if (line.endsWith(' | ')) line = line.slice(0, -3);
    if (line.trim() !== '' || pre) out.push(line.replace(/\s+$/, ''));
    line = '';
  };
  const endBlock = () => {
    endLine();
    if (lists.length === 0 && out.length > 0 && out[out.length - 1] !== '') out.push('');
  };
  for (const m of html.matchAll(/<(\/?)([a-z0-9]+)([^>]*)>|([^<]+)/g)) {
    const [, closing, tag, attrs, text] = m;
    if (text !== undefined) {
      const decoded = text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e);
      if (pre) {
        const [first, ...rest] = decoded.split('\n');
        line += first;
        for (const part of rest) {
          out.push(line);
          line = part;
        }
      } else {
        const words = decoded.replace(/\s+/g, ' ');
        if (line === '' || line.endsWith(' ')) line += words.replace(/^ /, '');
        else line += words;
      }
      continue;
    }
    if (closing) {
      if (tag === 'a') {
        const link = links.pop();
        if (link && !line.slice(link.start).includes(link.href)) line += ` (${link.href})`;
      } else if (tag === 'ul' || tag === 'ol') {
        lists.pop();
        if (lists.length === 0) endBlock();
      } else if (tag === 'pre') {
        pre = false;
        endBlock();
      } else if (tag === 'li' || tag === 'tr') endLine();
      else if (tag === 'td' || tag === 'th') line = `${line.trimEnd()} | `;
      else if (/^(p|h[1-6]|blockquote|table)$/.test(tag!)) endBlock();
      continue;
    }
    if (tag === 'br') endLine();
    else if (tag === 'pre') {
      endLine();
      pre = true;
    } else if (tag === 'ul' || tag === 'ol') {
      endLine();
      const start = /start="(\d+)"/.exec(attrs ?? '');
      lists.push({ ordered: tag === 'ol', n: start ? Number(start[1]) : 1 });
    } else if (tag === 'li') {
      endLine();
      const list = lists[lists.length - 1];
      const indent = '  '.repeat(Math.max(0, lists.length - 1));
      line = indent + (list?.ordered ? `${list.n++}. ` : '- ');
    } else if (tag === 'a') {
      const href = /href="([^"]*)"/.exec(attrs ?? '')?.[1] ?? '';
      links.push({ href: href.replace(/&amp;/g, '&'), start: line.length });
    } else if (tag === 'hr') endBlock();
  }
  endLine();
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
