// GB 11643-1999 citizen identity number (居民身份证号码): 6-digit address code,
// 8-digit birth date, 3-digit sequence (odd = male), 1 check character.
// The old 15-digit form (pre-1999) is deliberately not accepted: every card
// in circulation today carries the 18-character number.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const BODY_RE = /^\d{17}$/;
const FULL_RE = /^\d{17}[\dX]$/;

export type ResidentIdInfo = {
  /** First six digits: the GB/T 2260 address code where the number was issued. */
  regionCode: string;
  /** 'YYYY-MM-DD' */
  birthDate: string;
  sex: 'male' | 'female';
};

/** Upper-cases a trailing x: people type it in lower case, the standard says X. */
export function normalizeResidentId(s: string): string {
  return s.toUpperCase();
}

/**
 * Check character for the first 17 digits.
 * Throws RangeError when `first17` is not exactly 17 ASCII digits, because a
 * check character for anything else is meaningless and would hide a bug.
 */
export function residentIdCheckChar(first17: string): string {
  if (!BODY_RE.test(first17)) {
    throw new RangeError('resident ID body must be exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  }
  return CHECK_CHARS[sum % 11]!;
}

// Today's civil date in China (UTC+8, no DST since 1991), independent of the
// machine's time zone, so "born in the future" is judged as a clerk would.
function todayInShanghai(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function birthDateOf(normalized: string): string | null {
  const y = Number(normalized.slice(6, 10));
  const m = Number(normalized.slice(10, 12));
  const d = Number(normalized.slice(12, 14));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return null;
  // Date.UTC rolls 31 Feb into March; round-tripping catches non-existent days.
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  const iso = `${normalized.slice(6, 10)}-${normalized.slice(10, 12)}-${normalized.slice(12, 14)}`;
  if (iso > todayInShanghai()) return null;
  return iso;
}

/**
 * Parses a valid resident ID; null when the format, birth date or check
 * character is wrong. A lower-case x check character is accepted.
 */
export function parseResidentId(s: string): ResidentIdInfo | null {
  if (typeof s !== 'string' || s.length !== 18) return null;
  const id = normalizeResidentId(s);
  if (!FULL_RE.test(id)) return null;
  const birthDate = birthDateOf(id);
  if (birthDate === null) return null;
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) return null;
  return {
    regionCode: id.slice(0, 6),
    birthDate,
    sex: (id.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female',
  };
}

export function isValidResidentId(s: string): boolean {
  return parseResidentId(s) !== null;
}
