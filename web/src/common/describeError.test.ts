import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { defaultI18n } from '../i18n';
import { describeError } from './describeError';

describe('describeError', () => {
  it('shows the hub’s message', () => {
    const error = new ApiError(401, 'BW_ERR_BAD_CREDENTIALS', 'wrong username or password');
    expect(describeError(error, defaultI18n)).toBe('wrong username or password');
  });

  it('replaces the browser’s network message with ours', () => {
    const error = new ApiError(0, 'BW_ERR_NETWORK', 'Failed to fetch');
    expect(describeError(error, defaultI18n)).toBe('The hub did not answer. Is it running?');
  });

  it('shows any other error’s message', () => {
    expect(describeError(new TypeError('x is undefined'), defaultI18n)).toBe('x is undefined');
  });
});
