// GB 32100-2015 unified social credit code (统一社会信用代码): 18 characters
// from a 31-symbol alphabet (no I, O, S, V, Z, which are easily misread),
// the last one a mod-31 check character.

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const BODY_RE = /^[0-9A-HJ-NPQRTUWXY]{17}$/;
const FULL_RE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** Upper-cases the code; applicants often type it in lower case. */
export function normalizeUscc(s: string): string {
  return s.toUpperCase();
}

/**
 * Check character for the first 17 characters.
 * Throws RangeError when `first17` is not 17 characters of the code alphabet.
 */
export function usccCheckChar(first17: string): string {
  if (!BODY_RE.test(first17)) {
    throw new RangeError('USCC body must be 17 characters of 0-9A-HJ-NPQRTUWXY');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += ALPHABET.indexOf(first17[i]!) * WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return ALPHABET[check === 31 ? 0 : check]!;
}

/**
 * True when `s` (case-insensitive) is 18 characters of the alphabet with a
 * correct check character. The registration-authority and category
 * characters are not checked against the current code lists, which change.
 */
export function isValidUscc(s: string): boolean {
  if (typeof s !== 'string' || s.length !== 18) return false;
  const code = normalizeUscc(s);
  if (!FULL_RE.test(code)) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}
