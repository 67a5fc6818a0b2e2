import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidResidentId, parseResidentId, residentIdCheckChar } from './resident-id.js';

const CHECK_CHARS = '0123456789X';

// 110101 (Beijing Dongcheng) + 1990-03-07 + sequence 123 (odd: male).
const BODY = '11010119900307123';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));

// Bodies with a real birth date between 1900 and 2020.
const validBody = fc
  .tuple(
    digits(6),
    fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2020-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    digits(3),
  )
  .map(([region, birth, seq]) => region + birth.toISOString().slice(0, 10).replaceAll('-', '') + seq);

describe('residentIdCheckChar', () => {
  it('computes the GB 11643 check character', () => {
    // sum = 1*7+1*9+0+1*5+0+1*4+1*2+9*1+9*6+0+0+3*9+0+7*5+1*8+2*4+3*2 = 174; 174 mod 11 = 9 → '3'
    expect(residentIdCheckChar(BODY)).toBe('3');
    // The worked example in GB 11643-1999 annex: 11010519491231002X.
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });

  it('rejects a body that is not 17 digits', () => {
    expect(() => residentIdCheckChar('1101011990030712')).toThrow(RangeError);
    expect(() => residentIdCheckChar('1101011990030712A')).toThrow(RangeError);
  });
});

describe('isValidResidentId / parseResidentId', () => {
  it('accepts a well-formed ID and parses it', () => {
    expect(isValidResidentId(`${BODY}3`)).toBe(true);
    expect(parseResidentId(`${BODY}3`)).toEqual({
      regionCode: '110101',
      birthDate: '1990-03-07',
      sex: 'male',
    });
  });

  it('accepts upper and lower case X', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('11010519491231002x')).toBe(true);
    expect(parseResidentId('11010519491231002x')?.sex).toBe('female');
  });

  it('rejects a wrong check character', () => {
    expect(isValidResidentId(`${BODY}4`)).toBe(false);
    expect(isValidResidentId(`${BODY}X`)).toBe(false);
  });

  it('rejects impossible, early and future birth dates even with a matching check char', () => {
    for (const body of ['11010119900230123', '11010119901301123', '11010118991231123', '11010129990101123']) {
      expect(isValidResidentId(body + residentIdCheckChar(body))).toBe(false);
    }
    const leap = '11010120000229123';
    expect(isValidResidentId(leap + residentIdCheckChar(leap))).toBe(true);
    const notLeap = '11010119000229123';
    expect(isValidResidentId(notLeap + residentIdCheckChar(notLeap))).toBe(false);
  });

  it('rejects malformed input without throwing', () => {
    for (const s of [
      '',
      '1101011990030712Y3',
      `${BODY}33`,
      `1101011990030712X3`,
      ' 110101199003071233',
      'abc',
    ]) {
      expect(isValidResidentId(s)).toBe(false);
    }
    expect(parseResidentId(undefined as unknown as string)).toBeNull();
  });

  it('property: the computed check char validates, any other check char does not', () => {
    fc.assert(
      fc.property(validBody, fc.integer({ min: 0, max: 10 }), (body, k) => {
        const check = residentIdCheckChar(body);
        expect(isValidResidentId(body + check)).toBe(true);
        const other = CHECK_CHARS[k]!;
        if (other !== check) expect(isValidResidentId(body + other)).toBe(false);
      }),
    );
  });

  it('property: sex follows the parity of the 17th digit', () => {
    fc.assert(
      fc.property(validBody, (body) => {
        const parsed = parseResidentId(body + residentIdCheckChar(body));
        expect(parsed?.sex).toBe(Number(body[16]) % 2 === 1 ? 'male' : 'female');
      }),
    );
  });
});
