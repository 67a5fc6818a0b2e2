/** Chinese identifiers for test data, computed the way GB 32100 and GB 11714 define them. */

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The 18th character of a 统一社会信用代码 (GB 32100). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i] ?? '');
    if (value < 0) throw new Error(`not a USCC character: ${first17[i]}`);
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31] ?? '0';
}

/** The check character of a 9-character organisation code (GB 11714) over 8 digits. */
function organisationCodeCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body8].reduce((acc, ch, i) => acc + Number(ch) * (weights[i] ?? 0), 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * A valid code for a government body (registration authority 1, type 1 机关) in `regionCode`,
 * with a made-up organisation code derived from `seed`.
 */
export function makeUscc(seed: number, regionCode = '410103'): string {
  const body8 = String(seed % 100_000_000).padStart(8, '0');
  const first17 = `11${regionCode}${body8}${organisationCodeCheck(body8)}`;
  return `${first17}${usccCheckChar(first17)}`;
}

/** The same code with a wrong check character. */
export function breakUscc(uscc: string): string {
  const last = uscc.at(-1) ?? '0';
  const wrong = USCC_ALPHABET[(USCC_ALPHABET.indexOf(last) + 1) % USCC_ALPHABET.length] ?? '0';
  return `${uscc.slice(0, 17)}${wrong}`;
}

/** The 18th character of a 居民身份证号码 (GB 11643). */
export function residentIdCheckChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, ch, i) => acc + Number(ch) * (weights[i] ?? 0), 0);
  return '10X98765432'[sum % 11] ?? '0';
}

/** A valid resident ID born on `birth` (YYYYMMDD) in `regionCode`, sequence `seq`. */
export function makeResidentId(birth: string, seq: number, regionCode = '410103'): string {
  const first17 = `${regionCode}${birth}${String(seq % 1000).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

/** The same ID with a wrong check character. */
export function breakResidentId(id: string): string {
  const chars = '0123456789X';
  const last = id.at(-1) ?? '0';
  return `${id.slice(0, 17)}${chars[(chars.indexOf(last) + 1) % chars.length]}`;
}
