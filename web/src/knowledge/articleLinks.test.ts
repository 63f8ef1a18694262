import { describe, expect, it } from 'vitest';
import { articleLinks, articleUrl } from './knowledgeApi';

const ID = '0b6f1c52-3d5e-4f0a-9a51-5b7a3c1e2d4f';
const ORIGIN = 'https://hub.example.org';

describe('article links in a message', () => {
  it("cuts this hub's article addresses out of the text, a full stop after one left as text", () => {
    const text = `Please read ${articleUrl(ORIGIN, ID)}.\nThen try again.`;
    expect(articleLinks(text, ORIGIN)).toEqual([
      { text: 'Please read ' },
      { articleId: ID },
      { text: '.\nThen try again.' },
    ]);
  });

  it('leaves other hosts, other paths and addresses with a query as text', () => {
    for (const text of [
      `see https://evil.example/knowledge/${ID}`,
      `see ${ORIGIN}/tickets/${ID}`,
      `see ${ORIGIN}/knowledge/${ID}?lang=fa`,
      `see ${ORIGIN}/knowledge/${ID}/edit`,
      'no link at all',
    ])
      expect(articleLinks(text, ORIGIN)).toEqual([{ text }]);
  });

  it('finds two links, one alone on its line, in Persian text', () => {
    const text = `این را بخوانید:\n${ORIGIN}/knowledge/${ID}\nو ${ORIGIN}/knowledge/${ID}`;
    expect(articleLinks(text, ORIGIN)).toEqual([
      { text: 'این را بخوانید:\n' },
      { articleId: ID },
      { text: '\nو ' },
      { articleId: ID },
    ]);
  });
});
