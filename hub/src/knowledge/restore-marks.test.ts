import { describe, expect, it } from 'vitest';
import { normalizeWords } from './search-words.js';
import { normalizeWithOrigins, restoreMarks } from './restore-marks.js';

const ZWNJ = '\u200c';

describe('restoreMarks', () => {
  it('normalises as the search does, character by character', () => {
    const text = `كي مي${ZWNJ}روم ۱۲ ٣ وی${ZWNJ}پی${ZWNJ}ان`;
    expect(normalizeWithOrigins(text).normal).toBe(normalizeWords(text));
  });

  it('gives the marked words back with their non-joiners, letters and digits', () => {
    const title = `وصل نشدن وی${ZWNJ}پی${ZWNJ}ان شعبه`;
    expect(
      restoreMarks(title, [
        { text: 'وصل نشدن ', mark: false },
        { text: 'ویپیان', mark: true },
        { text: ' شعبه', mark: false },
      ]),
    ).toEqual([
      { text: 'وصل نشدن ', mark: false },
      { text: `وی${ZWNJ}پی${ZWNJ}ان`, mark: true },
      { text: ' شعبه', mark: false },
    ]);
  });

  it('keeps the fragments of a long text apart, each in its original letters', () => {
    const body = `اول كابل را ببینید. ${'متن '.repeat(20)}بعد مودم ۵ دقیقه خاموش.`;
    const restored = restoreMarks(body, [
      { text: 'اول ', mark: false },
      { text: 'کابل', mark: true },
      { text: ' را … بعد ', mark: false },
      { text: 'مودم', mark: true },
      { text: ' 5 دقیقه', mark: false },
    ]);
    expect(restored).toEqual([
      { text: 'اول ', mark: false },
      { text: 'كابل', mark: true },
      { text: ' را … بعد ', mark: false },
      { text: 'مودم', mark: true },
      { text: ' ۵ دقیقه', mark: false },
    ]);
  });

  it('answers the pieces as they were when they are not in the text', () => {
    const marked = [{ text: 'elsewhere', mark: true }];
    expect(restoreMarks('some text', marked)).toBe(marked);
  });
});
