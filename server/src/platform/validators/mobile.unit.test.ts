import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidMobile } from './mobile.js';

describe('isValidMobile', () => {
  it('accepts mainland mobile numbers', () => {
    for (const s of ['13800138000', '19912345678', '15000000000']) expect(isValidMobile(s)).toBe(true);
  });

  it('rejects other shapes', () => {
    for (const s of [
      '12800138000',
      '1380013800',
      '138001380000',
      '+8613800138000',
      '138 0013 8000',
      '',
      'abcdefghijk',
    ]) {
      expect(isValidMobile(s)).toBe(false);
    }
    expect(isValidMobile(undefined as unknown as string)).toBe(false);
  });

  it('property: 1, a digit 3-9, then 9 digits is valid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }), (net, rest) => {
        expect(isValidMobile(`1${net}${String(rest).padStart(9, '0')}`)).toBe(true);
      }),
    );
  });
});
