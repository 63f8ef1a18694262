import { describe, expect, it } from 'vitest';
import { withInserted, withoutFile } from './fileMarkdown';
import { fileMarkdown } from './knowledgeApi';

const file = {
  articleId: '0b6c2f0e-1f52-4c55-9a43-6f1d2e3c4b5a',
  id: 'a1d3e5f7-0000-4aaa-8bbb-123456789abc',
  name: 'router [back].png',
  mimeType: 'image/png',
};
const url = `/api/v1/knowledge/articles/${file.articleId}/files/${file.id}`;

describe("an article's files in its Markdown", () => {
  it('shows an image and links any other file, at the address the hub keeps', () => {
    expect(fileMarkdown(file)).toBe(`![router back](${url})`);
    expect(fileMarkdown({ ...file, name: 'guide.pdf', mimeType: 'application/pdf' })).toBe(
      `[guide.pdf](${url})`,
    );
  });

  it('goes in where the cursor is, as a paragraph of its own', () => {
    const text = 'Line one.\n\nLine two.';
    expect(withInserted(text, [9, 9], 'X')).toEqual({
      text: 'Line one.\n\nX\n\nLine two.',
      caret: 12,
    });
    // In place of a selection; at the start; at the end without a cursor.
    expect(withInserted(text, [0, 9], 'X').text).toBe('X\n\nLine two.');
    expect(withInserted(text, [0, 0], 'X').text).toBe('X\n\nLine one.\n\nLine two.');
    expect(withInserted(text, null, 'X')).toEqual({ text: `${text}\n\nX`, caret: 23 });
    expect(withInserted('', null, 'X')).toEqual({ text: 'X', caret: 1 });
  });

  it("takes a removed file's images and links out, and the gap they leave", () => {
    const text = `Steps.\n\n![router](${url})\n\nSee [the guide](${url}).`;
    expect(withoutFile(text, file)).toBe('Steps.\n\nSee .');
    expect(withoutFile('Steps.', file)).toBe('Steps.');
  });
});
