import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from './timestamptz.js';

const general = pg.types.getTypeParser(1184, 'text') as (text: string) => Date | number | null;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A deterministic spread of values as PostgreSQL writes them: years, fractions of 0–6 places, offsets. */
function samples(count: number): string[] {
  let seed = 7;
  const next = (m: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % m;
  };
  const offsets = ['+00', '+08', '-05', '+05:30', '-03:30', '+05:45', '+08:05:43', '-00:25:21', '+14', '-12'];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const places = next(7);
    const fraction = places ? `.${pad(next(10 ** places), places)}` : '';
    out.push(
      `${pad(100 + next(9900), 4)}-${pad(1 + next(12), 2)}-${pad(1 + next(28), 2)} ${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}${fraction}${offsets[next(offsets.length)]}`,
    );
  }
  return out;
}

describe('timestamptz from PostgreSQL text', () => {
  it('reads every ordinary value to the same millisecond as node-postgres’s own parser', () => {
    for (const s of samples(20_000)) {
      const fast = parseTimestamptz(s);
      expect(fast instanceof Date ? fast.getTime() : fast, s).toBe((general(s) as Date).getTime());
    }
    expect(parseTimestamptz('2026-11-22 10:04:55.123456+08')).toEqual(new Date('2026-11-22T02:04:55.123Z'));
    expect(parseTimestamptz('2026-11-22 02:04:55+00')).toEqual(new Date('2026-11-22T02:04:55.000Z'));
  });

  it('leaves the unusual to it: infinity, BC, years before 100, malformed text', () => {
    for (const s of [
      'infinity',
      '-infinity',
      '0044-03-15 12:00:00+00 BC',
      '0099-12-31 23:59:59.5+00',
      '2026-11-22 10:04:55.+08',
      '2026-11-22 10:04:55+0x',
      '2026-11-22 10:04:55+08:3x',
      '2026-11-22T10:04:55Z',
      '12026-11-22 10:04:55+00',
    ]) {
      const fast = parseTimestamptz(s);
      const slow = general(s);
      if (slow instanceof Date)
        expect(fast instanceof Date ? fast.getTime() : fast, s).toEqual(slow.getTime());
      else expect(fast, s).toEqual(slow);
    }
  });
});
