import { articleFileUrl, type ArticleFile } from './knowledgeApi';

/**
 * `text` put into `markdown` in place of the selection `range` (at the end without one), as a
 * paragraph of its own: an image or a file's link between two lines of a sentence would join
 * them. Gives the new text and where the cursor goes (after what was inserted).
 */
export function withInserted(
  markdown: string,
  range: readonly [number, number] | null,
  text: string,
): { text: string; caret: number } {
  const [start, end] = range
    ? [Math.min(range[0], markdown.length), Math.min(range[1], markdown.length)]
    : [markdown.length, markdown.length];
  const before = markdown.slice(0, start);
  const after = markdown.slice(end);
  const lead =
    before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  const trail =
    after === '' || after.startsWith('\n\n') ? '' : after.startsWith('\n') ? '\n' : '\n\n';
  return {
    text: before + lead + text + trail + after,
    caret: before.length + lead.length + text.length,
  };
}

/** The text without the images and links of a removed file, and the empty lines they leave. */
export function withoutFile(markdown: string, file: Pick<ArticleFile, 'articleId' | 'id'>) {
  const url = articleFileUrl(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new RegExp(`!?\\[[^\\]\\n]*\\]\\(${url}\\)`, 'g');
  if (!found.test(markdown)) return markdown;
  return markdown
    .replace(found, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '');
}
