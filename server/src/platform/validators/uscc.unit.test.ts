import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidUscc, usccCheckChar } from './uscc.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const body = fc
  .array(fc.integer({ min: 0, max: 30 }), { minLength: 17, maxLength: 17 })
  .map((a) => a.map((i) => ALPHABET[i]).join(''));

describe('usccCheckChar', () => {
  it('computes the GB 32100 check character', () => {
    // weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28
    // chars   9,1,1, 1, 0, 1, 0, 8, 0, 0, 0, 0,0, 0, 0, 0, 1
    // sum = 9+3+9+27+0+26+0+136+28 = 238; 238 mod 31 = 21; 31-21 = 10 → 'A'
    expect(usccCheckChar('91110108000000001')).toBe('A');
    // all zeros: sum 0 → 31 → '0'
    expect(usccCheckChar('00000000000000000')).toBe('0');
  });

  it('rejects bodies with characters outside the alphabet', () => {
    expect(() => usccCheckChar('9111010800000000I')).toThrow(RangeError);
    expect(() => usccCheckChar('9111010800000000')).toThrow(RangeError);
  });
});

describe('isValidUscc', () => {
  it('accepts a correct code (either case) and rejects a wrong check char', () => {
    expect(isValidUscc('91110108000000001A')).toBe(true);
    expect(isValidUscc('91110108000000001a')).toBe(true);
    expect(isValidUscc('91110108000000001B')).toBe(false);
    expect(isValidUscc('000000000000000000')).toBe(true);
  });

  it('rejects malformed input without throwing', () => {
    for (const s of [
      '',
      '91110108000000001',
      '91110108000000001AA',
      '9111010800000000IA',
      'O1110108000000001A',
    ]) {
      expect(isValidUscc(s)).toBe(false);
    }
    expect(isValidUscc(null as unknown as string)).toBe(false);
  });

  it('property: the computed check char validates, any other one does not', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 30 }), (b, k) => {
        const check = usccCheckChar(b);
        expect(isValidUscc(b + check)).toBe(true);
        const other = ALPHABET[k]!;
        if (other !== check) expect(isValidUscc(b + other)).toBe(false);
      }),
    );
  });

  it('property: a single-character change in the body is detected', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 30 }), (b, pos, shift) => {
        const code = b + usccCheckChar(b);
        const replaced = ALPHABET[(ALPHABET.indexOf(code[pos]!) + shift) % 31]!;
        const changed = code.slice(0, pos) + replaced + code.slice(pos + 1);
        expect(isValidUscc(changed)).toBe(false);
      }),
    );
  });
});
