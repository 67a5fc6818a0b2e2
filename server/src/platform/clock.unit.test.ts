import { describe, expect, it } from 'vitest';
import { civilDate } from './clock.js';

const zone = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

describe('civil date in Asia/Shanghai', () => {
  it('is the time-zone database’s date on every day from 1985 to 2040, either side of midnight', () => {
    const wrong: string[] = [];
    for (let day = Date.UTC(1985, 0, 1); day < Date.UTC(2040, 0, 1); day += 86_400_000) {
      // Local midnight is 16:00 UTC, and was 15:00 UTC in the summers of 1986–1991 (daylight saving).
      for (const t of [day + 4 * 3_600_000, day + 15 * 3_600_000, day + 16 * 3_600_000]) {
        for (const at of [new Date(t - 1), new Date(t)]) {
          if (civilDate(at) !== zone.format(at)) wrong.push(`${at.toISOString()}: ${civilDate(at)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 20_000);

  it('turns at local midnight, eight hours before UTC’s', () => {
    expect(civilDate(new Date('2026-11-21T15:59:59.999Z'))).toBe('2026-11-21');
    expect(civilDate(new Date('2026-11-21T16:00:00.000Z'))).toBe('2026-11-22');
  });
});
