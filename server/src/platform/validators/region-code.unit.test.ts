import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidRegionCode,
  parentRegionCode,
  regionContains,
  regionLevelOf,
  regionPrefix,
} from './region-code.js';

describe('regionLevelOf', () => {
  it('classifies each level', () => {
    expect(regionLevelOf('110000')).toBe('province');
    expect(regionLevelOf('410100')).toBe('city');
    expect(regionLevelOf('410103')).toBe('district');
    expect(regionLevelOf('419001')).toBe('district'); // 济源: county-level city under the province
    expect(regionLevelOf('410103001')).toBe('township');
    expect(regionLevelOf('410103001001')).toBe('village');
  });

  it('returns null for malformed codes', () => {
    for (const c of [
      '',
      '000000',
      '110001', // district with no city part
      '11000',
      '1100000',
      '11a000',
      '410103000', // township 000
      '410100001', // township under a city, not a district
      '410103001000', // village 000
      '410103000001', // village under a malformed township
      '4101030010011',
    ]) {
      expect(regionLevelOf(c)).toBeNull();
      expect(isValidRegionCode(c)).toBe(false);
    }
    expect(regionLevelOf(undefined as unknown as string)).toBeNull();
  });
});

describe('regionPrefix / regionContains / parentRegionCode', () => {
  it('gives the significant prefix', () => {
    expect(regionPrefix('410000')).toBe('41');
    expect(regionPrefix('410100')).toBe('4101');
    expect(regionPrefix('410103')).toBe('410103');
    expect(regionPrefix('410103001')).toBe('410103001');
    expect(regionPrefix('410103001001')).toBe('410103001001');
    expect(() => regionPrefix('41010')).toThrow(RangeError);
  });

  it('contains itself and its descendants only', () => {
    expect(regionContains('410000', '410000')).toBe(true);
    expect(regionContains('410000', '410103001001')).toBe(true);
    expect(regionContains('410100', '410103')).toBe(true);
    expect(regionContains('410100', '410103001')).toBe(true);
    expect(regionContains('410103', '410103001')).toBe(true);
    expect(regionContains('410103001', '410103001001')).toBe(true);
    expect(regionContains('410103', '410100')).toBe(false);
    expect(regionContains('410100', '410200')).toBe(false);
    expect(regionContains('410100', '410203')).toBe(false);
    expect(regionContains('410103001', '410103002001')).toBe(false);
    expect(regionContains('bad', '410103')).toBe(false);
    expect(regionContains('410000', 'bad')).toBe(false);
  });

  it('walks up one level at a time', () => {
    expect(parentRegionCode('410103001001')).toBe('410103001');
    expect(parentRegionCode('410103001')).toBe('410103');
    expect(parentRegionCode('410103')).toBe('410100');
    expect(parentRegionCode('410100')).toBe('410000');
    expect(parentRegionCode('410000')).toBeNull();
    expect(parentRegionCode('nope')).toBeNull();
  });

  const twoDigits = (min: number) => fc.integer({ min, max: 99 }).map((n) => String(n).padStart(2, '0'));
  const threeDigits = fc.integer({ min: 1, max: 999 }).map((n) => String(n).padStart(3, '0'));
  const village = fc
    .tuple(twoDigits(1), twoDigits(1), twoDigits(1), threeDigits, threeDigits)
    .map((parts) => parts.join(''));

  it('property: every ancestor of a village is valid, one level up, and contains it', () => {
    fc.assert(
      fc.property(village, (v) => {
        const chain = [v];
        for (let p = parentRegionCode(v); p !== null; p = parentRegionCode(p)) chain.push(p);
        expect(chain.map(regionLevelOf)).toEqual(['village', 'township', 'district', 'city', 'province']);
        for (let i = 0; i < chain.length; i++) {
          for (let j = 0; j < chain.length; j++) {
            // chain[j] contains chain[i] exactly when j >= i (same or higher level)
            expect(regionContains(chain[j]!, chain[i]!)).toBe(j >= i);
          }
          expect(chain[i]!.startsWith(regionPrefix(chain[Math.min(i + 1, chain.length - 1)]!))).toBe(true);
        }
      }),
    );
  });

  it('property: two different villages never contain each other; siblings share their parent', () => {
    fc.assert(
      fc.property(village, village, (a, b) => {
        if (a !== b) {
          expect(regionContains(a, b)).toBe(false);
          expect(regionContains(parentRegionCode(a)!, b)).toBe(parentRegionCode(a) === parentRegionCode(b));
        }
      }),
    );
  });
});
