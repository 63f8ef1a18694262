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
  exclusiveFilter: (frame) => frame.tag === 'img' && !isOwnPath(frame.attribs.src),
};

function isOwnPath(src: string | undefined): boolean {
  return typeof src === 'string' && src.startsWith('/') && !src.startsWith('//');
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
