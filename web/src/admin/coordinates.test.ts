import { describe, expect, it } from 'vitest';
import { parseCoordinate, splitCoordinates } from './coordinates';

describe('coordinates as people type them', () => {
  it('reads Latin, Persian and Arabic digits, and empty as none', () => {
    expect(parseCoordinate(' 35.6892 ')).toBe(35.6892);
    expect(parseCoordinate('-33.8688')).toBe(-33.8688);
    expect(parseCoordinate('۳۵٫۶۸۹۲')).toBe(35.6892);
    expect(parseCoordinate('٥١.٣٨٩')).toBe(51.389);
    expect(parseCoordinate('')).toBeNull();
    expect(parseCoordinate('north')).toBeNaN();
    expect(parseCoordinate('35.6.8')).toBeNaN();
  });

  it('splits a pair pasted from a map app', () => {
    expect(splitCoordinates('35.6892, 51.3890')).toEqual(['35.6892', '51.3890']);
    expect(splitCoordinates('48.8566 2.3522')).toEqual(['48.8566', '2.3522']);
    expect(splitCoordinates('۳۵٫۶۸۹۲، ۵۱٫۳۸۹۰')).toEqual(['35.6892', '51.3890']);
    expect(splitCoordinates('35.6892')).toBeNull();
  });
});
