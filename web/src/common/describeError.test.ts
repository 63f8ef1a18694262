import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { defaultI18n, i18nOf } from '../i18n';
import { describeError, LocalRefusal } from './describeError';

describe('describeError', () => {
  it('shows the hub’s message', () => {
    const error = new ApiError(401, 'BW_ERR_BAD_CREDENTIALS', 'wrong username or password');
    expect(describeError(error, defaultI18n)).toBe('wrong username or password');
  });

  it('replaces the browser’s network message with ours', () => {
    const error = new ApiError(0, 'BW_ERR_NETWORK', 'Failed to fetch');
    expect(describeError(error, defaultI18n)).toBe('The hub did not answer. Is it running?');
  });

  it('says in the reader’s language that a file was refused by the malware scanner', () => {
    const infected = new ApiError(422, 'BW_ERR_ATTACHMENT_INFECTED', 'x.txt was not attached', {
      field: 'body',
      signature: 'Win.Test.EICAR_HDB-1',
    });
    expect(describeError(infected, defaultI18n)).toBe(
      'The malware scanner found Win.Test.EICAR_HDB-1 in this file, so it was not attached.',
    );
    const down = new ApiError(
      503,
      'BW_ERR_SCANNER_UNAVAILABLE',
      'the malware scanner is not answering',
    );
    expect(describeError(down, defaultI18n)).toMatch(/^Files cannot be attached right now/);
  });

  it('says in words that the person’s role does not allow a page, not the hub’s permission name', () => {
    const error = new ApiError(403, 'BW_ERR_FORBIDDEN', 'this needs the tenants.manage permission');
    const text = describeError(error, defaultI18n);
    expect(text).toBe(
      'Your role does not allow this. Ask an administrator of your organisation if you need it.',
    );
    expect(text).not.toContain('tenants.manage');
  });

  it('shows any other error’s message', () => {
    expect(describeError(new TypeError('x is undefined'), defaultI18n)).toBe('x is undefined');
  });
});

describe('a refusal in another language than the hub’s', () => {
  const refusal = new ApiError(409, 'BW_ERR_TICKET_CHANGED', 'ticket #12 changed since version 1');
  it('is the dictionary’s words for its code in Persian and French', () => {
    expect(describeError(refusal, i18nOf('fa'))).toBe(
      'کسی در این میان این تیکت را تغییر داد. دوباره بخوانیدش و تغییرتان را تکرار کنید.',
    );
    expect(describeError(refusal, i18nOf('fr'))).toBe(
      "Quelqu'un a modifié ce ticket entre-temps. Relisez-le et refaites votre modification.",
    );
  });

  it('is the hub’s own sentence in English', () => {
    expect(describeError(refusal, defaultI18n)).toBe('ticket #12 changed since version 1');
  });

  it('keeps a refusal the page made itself, already in the reader’s language', () => {
    const own = new LocalRefusal(400, 'BW_ERR_VALIDATION', 'عرض جغرافیایی عدد نیست', {
      field: 'latitude',
    });
    expect(describeError(own, i18nOf('fa'))).toBe('عرض جغرافیایی عدد نیست');
  });
});
