import { describe, expect, it } from 'vitest';
import { contrastWithWhite, DEFAULT_ACCENT, MIN_ACCENT_CONTRAST } from './branding.js';

describe('contrast of white text on an accent', () => {
  it('matches the WCAG figures', () => {
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
    // WebAIM's checker: white on #767676 is 4.54:1, the lightest grey that passes AA.
    expect(contrastWithWhite('#767676')).toBeCloseTo(4.54, 2);
    expect(contrastWithWhite('#777777')).toBeLessThan(MIN_ACCENT_CONTRAST);
    expect(contrastWithWhite('#ffcc00')).toBeLessThan(2);
  });

  it('lets the default accent pass', () => {
    expect(contrastWithWhite(DEFAULT_ACCENT)).toBeGreaterThanOrEqual(MIN_ACCENT_CONTRAST);
  });
});
