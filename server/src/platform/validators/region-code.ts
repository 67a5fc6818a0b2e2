// GB/T 2260 administrative division codes (6 digits) extended with the
// statistical township (9) and village (12) levels used by the National
// Bureau of Statistics. Only the shape is checked, not membership in the
// current code list: divisions are renamed and merged every year.

export type RegionLevel = 'province' | 'city' | 'district' | 'township' | 'village';

const PREFIX_LENGTH: Record<RegionLevel, number> = {
  province: 2,
  city: 4,
  district: 6,
  township: 9,
  village: 12,
};

const DEPTH: Record<RegionLevel, number> = {
  province: 0,
  city: 1,
  district: 2,
  township: 3,
  village: 4,
};

function sixDigitLevel(code: string): RegionLevel | null {
  const pp = code.slice(0, 2);
  const cc = code.slice(2, 4);
  const dd = code.slice(4, 6);
  if (pp === '00') return null;
  if (cc === '00') return dd === '00' ? 'province' : null;
  // A district whose city part is 00 would have a province as its parent,
  // which breaks the one-level-up rule; GB/T 2260 has no such codes
  // (directly administered counties use city part 90).
  return dd === '00' ? 'city' : 'district';
}

/** Level of a well-formed code, or null when the code is malformed. */
export function regionLevelOf(code: string): RegionLevel | null {
  if (typeof code !== 'string' || !/^\d+$/.test(code)) return null;
  switch (code.length) {
    case 6:
      return sixDigitLevel(code);
    case 9:
      return sixDigitLevel(code.slice(0, 6)) === 'district' && code.slice(6) !== '000' ? 'township' : null;
    case 12:
      return regionLevelOf(code.slice(0, 9)) === 'township' && code.slice(9) !== '000' ? 'village' : null;
    default:
      return null;
  }
}

export function isValidRegionCode(code: string): boolean {
  return regionLevelOf(code) !== null;
}

/**
 * Significant prefix: province 2, city 4, district 6, township 9, village 12
 * digits. Throws RangeError on a malformed code, because returning '' would
 * make every `startsWith` scope check succeed.
 */
export function regionPrefix(code: string): string {
  const level = regionLevelOf(code);
  if (level === null) throw new RangeError(`malformed region code: ${String(code)}`);
  return code.slice(0, PREFIX_LENGTH[level]);
}

/**
 * True when `descendant` is `ancestor` itself or lies below it. False when
 * either code is malformed (a scope check must fail closed).
 */
export function regionContains(ancestor: string, descendant: string): boolean {
  const a = regionLevelOf(ancestor);
  const d = regionLevelOf(descendant);
  if (a === null || d === null) return false;
  if (ancestor === descendant) return true;
  return DEPTH[d] > DEPTH[a] && descendant.startsWith(ancestor.slice(0, PREFIX_LENGTH[a]));
}

/** The code one level up; null for a province or a malformed code. */
export function parentRegionCode(code: string): string | null {
  switch (regionLevelOf(code)) {
    case 'village':
      return code.slice(0, 9);
    case 'township':
      return code.slice(0, 6);
    case 'district':
      return `${code.slice(0, 4)}00`;
    case 'city':
      return `${code.slice(0, 2)}0000`;
    default:
      return null;
  }
}
