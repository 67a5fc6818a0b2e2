import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { officialCalendar, parseOfficialData } from './official.js';

describe('officialCalendar', () => {
  const cal = officialCalendar();

  it('covers 2004-2026 without gaps', () => {
    expect(cal.years[0]).toBe(2004);
    expect(cal.years.at(-1)).toBeGreaterThanOrEqual(2026);
    expect(cal.years).toEqual(Array.from({ length: cal.years.length }, (_, i) => 2004 + i));
  });

  it('is memoised', () => {
    expect(officialCalendar()).toBe(cal);
  });

  it('has the 2026 arrangements of the State Council notice', () => {
    const holidays2026 = [...cal.holidays.keys()].filter((d) => d.startsWith('2026-'));
    expect(holidays2026).toContain('2026-02-15');
    expect(holidays2026).toContain('2026-02-23');
    expect(cal.holidays.get('2026-02-17')).toEqual({ zh: '春节', en: 'Spring Festival' });
    expect(cal.holidays.get('2026-10-01')).toEqual({ zh: '国庆节', en: 'National Day' });
    expect([...cal.makeupWorkdays.keys()].filter((d) => d.startsWith('2026-')).sort()).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('make-up working days are all weekends and never holidays', () => {
    for (const date of cal.makeupWorkdays.keys()) {
      const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect([0, 6]).toContain(dow);
      expect(cal.holidays.has(date)).toBe(false);
    }
  });

  it("agrees with the package's own API for every day of 2025 and 2026", () => {
    for (let t = Date.UTC(2025, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const dow = new Date(t).getUTCDay();
      const ours = cal.makeupWorkdays.has(date) || (!cal.holidays.has(date) && dow !== 0 && dow !== 6);
      expect(chineseDays.isWorkday(date), date).toBe(ours);
    }
  });

  it('rejects data in an unexpected shape', () => {
    expect(() => parseOfficialData(null)).toThrow();
    expect(() => parseOfficialData({ holidays: {}, workdays: { '2026/01/04': 'x' } })).toThrow();
    expect(() => parseOfficialData({ holidays: { '2026-01-01': 1 }, workdays: {} })).toThrow();
    expect(
      parseOfficialData({ holidays: { '2030-01-01': 'odd' }, workdays: {} }).holidays.get('2030-01-01'),
    ).toEqual({
      zh: 'odd',
      en: 'odd',
    });
  });
});
