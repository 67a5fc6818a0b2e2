// Masking for publicity lists, logs and screens that do not need the full
// value. Every function accepts anything at run time (values come from
// databases and logs, not only from typed code) and never throws: when a
// string is too short for the usual rule, everything is masked, because a
// short value that keeps its head and tail would reveal most of itself.

const STAR = '*';

// Code points, not UTF-16 units, so a rare character outside the BMP
// (e.g. 𠮷 in a name) is masked as one character instead of two halves.
function chars(s: unknown): string[] {
  return typeof s === 'string' ? Array.from(s) : [];
}

function keepEnds(s: unknown, keepStart: number, keepEnd: number, minLength: number): string {
  const c = chars(s);
  if (c.length < minLength) return STAR.repeat(c.length);
  return (
    c.slice(0, keepStart).join('') +
    STAR.repeat(c.length - keepStart - keepEnd) +
    c.slice(c.length - keepEnd).join('')
  );
}

/**
 * Resident ID: keep the 6-digit region code and the last 4 characters,
 * `410103********1234`. Shorter than 15 characters (not an ID at all, or a
 * truncated one): masked entirely.
 */
export function maskIdNumber(s: string): string {
  return keepEnds(s, 6, 4, 15);
}

/**
 * Mobile: keep the first 3 and last 4, `138****8000`. Shorter than 11
 * characters: masked entirely.
 */
export function maskMobile(s: string): string {
  return keepEnds(s, 3, 4, 11);
}

/**
 * Unified social credit code: keep the first 8 characters (registration
 * authority, entity category and the 6-digit region, none of which single an
 * entity out) and the last 4; mask the 6 characters in between, i.e. the
 * head of the 9-character organisation code: `91110108******123X`.
 * Shorter than 18 characters: masked entirely.
 */
export function maskUscc(s: string): string {
  return keepEnds(s, 8, 4, 18);
}

/**
 * Personal name: keep the first character (usually the surname) and replace
 * each remaining character with `*`: 张三丰 → 张**, 张三 → 张*. A one-character
 * value is masked entirely.
 */
export function maskName(s: string): string {
  return keepEnds(s, 1, 0, 2);
}
