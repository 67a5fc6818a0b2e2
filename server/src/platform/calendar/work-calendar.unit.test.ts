import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from './work-calendar.js';

const cal = createWorkCalendar();
const DAY = 86_400_000;

const dateIn = (from: string, to: string) =>
  fc
    .integer({ min: Date.parse(`${from}T00:00:00Z`) / DAY, max: Date.parse(`${to}T00:00:00Z`) / DAY })
    .map((n) => new Date(n * DAY).toISOString().slice(0, 10));

describe('dayInfo', () => {
  it('classifies 2026 days', () => {
    expect(cal.dayInfo('2026-02-17')).toEqual({
      date: '2026-02-17',
      workday: false,
      kind: 'holiday',
      name: { zh: '春节', en: 'Spring Festival' },
      source: 'official',
    });
    expect(cal.dayInfo('2026-02-14')).toMatchObject({ workday: true, kind: 'makeup', source: 'official' });
    expect(cal.dayInfo('2026-03-07')).toEqual({
      date: '2026-03-07',
      workday: false,
      kind: 'weekend',
      source: 'weekday-rule',
    });
    expect(cal.dayInfo('2026-03-09')).toEqual({
      date: '2026-03-09',
      workday: true,
      kind: 'workday',
      source: 'weekday-rule',
    });
  });

  it('rejects dates that are not civil dates', () => {
    for (const bad of ['2026-02-30', '2026-2-1', '20260201', '2026-13-01', '']) {
      expect(() => cal.isWorkingDay(bad)).toThrow(RangeError);
    }
    expect(() => createWorkCalendar({ overrides: [{ date: '2026-02-30', workday: false }] })).toThrow(
      RangeError,
    );
  });

  it('daysOfYear lists every day once', () => {
    const days = cal.daysOfYear(2026);
    expect(days).toHaveLength(365);
    expect(days[0]?.date).toBe('2026-01-01');
    expect(days.at(-1)?.date).toBe('2026-12-31');
    expect(cal.daysOfYear(2024)).toHaveLength(366);
    expect(days.filter((d) => d.kind === 'makeup').map((d) => d.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    expect(days.filter((d) => d.workday)).toHaveLength(cal.countWorkingDays('2025-12-31', '2026-12-31'));
  });
});

describe('2026 fixed cases', () => {
  it('Spring Festival: 5 working days from the last working day before it', () => {
    // 2026-02-14 (Sat) is a make-up working day, then 15-23 Feb are off.
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.nextWorkingDay('2026-02-14')).toBe('2026-02-24');
    const r = cal.addWorkingDays('2026-02-14', 5);
    // 24, 25, 26, 27 Feb and the make-up Saturday 28 Feb.
    expect(r.date).toBe('2026-02-28');
    expect(r.provisional).toBe(false);
    expect(r.crossed.map((d) => d.date)).toEqual([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ]);
    expect(r.crossed.every((d) => d.kind === 'holiday')).toBe(true);
  });

  it('make-up Saturday counts as a working day', () => {
    expect(cal.isWorkingDay('2026-02-28')).toBe(true);
    expect(cal.countWorkingDays('2026-02-27', '2026-03-02')).toBe(2); // Sat 28 make-up, Mon 2 Mar
  });

  it('National Day week is skipped', () => {
    const r = cal.addWorkingDays('2026-09-30', 1);
    expect(r.date).toBe('2026-10-08');
    expect(r.crossed.map((d) => d.date)).toEqual([
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
    // 8, 9 Oct, then the make-up Saturday 10 Oct.
    expect(cal.addWorkingDays('2026-09-30', 3).date).toBe('2026-10-10');
    // Sunday 20 Sep is a make-up day for National Day.
    expect(cal.dayInfo('2026-09-20')).toMatchObject({
      kind: 'makeup',
      name: { zh: '国庆节', en: 'National Day' },
    });
  });

  it('n = 0 returns start when it is a working day, else the next working day', () => {
    expect(cal.addWorkingDays('2026-02-13', 0)).toEqual({
      date: '2026-02-13',
      provisional: false,
      crossed: [],
    });
    const r = cal.addWorkingDays('2026-02-15', 0);
    expect(r.date).toBe('2026-02-24');
    expect(r.crossed).toHaveLength(9);
  });

  it('rejects negative or fractional n', () => {
    expect(() => cal.addWorkingDays('2026-02-13', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2026-02-13', 1.5)).toThrow(RangeError);
  });

  it('a local holiday override shifts the deadline', () => {
    const local = createWorkCalendar({
      overrides: [{ date: '2026-03-03', workday: false, note: '地方节日' }],
    });
    expect(cal.addWorkingDays('2026-03-02', 1).date).toBe('2026-03-03');
    const r = local.addWorkingDays('2026-03-02', 1);
    expect(r.date).toBe('2026-03-04');
    expect(r.crossed).toEqual([
      { date: '2026-03-03', workday: false, kind: 'override-off', source: 'override', note: '地方节日' },
    ]);
  });

  it('overrides win over official holidays and weekends', () => {
    const local = createWorkCalendar({
      overrides: [
        { date: '2026-10-08', workday: false },
        { date: '2026-10-07', workday: true, note: '值班' },
        { date: '2026-03-07', workday: true },
      ],
    });
    expect(local.dayInfo('2026-10-07')).toMatchObject({
      workday: true,
      kind: 'override-on',
      source: 'override',
      name: { zh: '国庆节', en: 'National Day' },
    });
    expect(local.addWorkingDays('2026-09-30', 1).date).toBe('2026-10-07');
    expect(local.addWorkingDays('2026-10-07', 1).date).toBe('2026-10-09');
    expect(local.isWorkingDay('2026-03-07')).toBe(true);
  });

  it('a deadline reaching 2027 is provisional unless 2027 is loaded', () => {
    expect(cal.isYearLoaded(2026)).toBe(true);
    expect(cal.isYearLoaded(2027)).toBe(false);
    expect(cal.isYearLoaded(2003)).toBe(false);
    const r = cal.addWorkingDays('2026-12-30', 5);
    expect(r.provisional).toBe(true);
    expect(cal.addWorkingDays('2026-12-24', 4)).toMatchObject({ date: '2026-12-30', provisional: false });
    expect(cal.addWorkingDays('2027-03-01', 0).provisional).toBe(true);

    const loaded = createWorkCalendar({
      loadedYears: [2027],
      overrides: [{ date: '2027-01-01', workday: false, note: '元旦' }],
    });
    expect(loaded.isYearLoaded(2027)).toBe(true);
    const l = loaded.addWorkingDays('2026-12-30', 5);
    expect(l.provisional).toBe(false);
    // 31 Dec, (1 Jan off), 4, 5, 6, 7 Jan.
    expect(l.date).toBe('2027-01-07');
    expect(r.date).toBe('2027-01-06');
  });

  it('shiftForSuspension adds the working days lost', () => {
    // Suspended Mon 2 Mar to resumption Mon 9 Mar 2026: 5 working days lost.
    expect(cal.shiftForSuspension('2026-03-20', '2026-03-02', '2026-03-09')).toBe('2026-03-27');
    // Suspended over a weekend only.
    expect(cal.shiftForSuspension('2026-03-20', '2026-03-07', '2026-03-09')).toBe('2026-03-20');
    // Same-day resumption and inverted ranges lose nothing.
    expect(cal.shiftForSuspension('2026-03-20', '2026-03-04', '2026-03-04')).toBe('2026-03-20');
    expect(cal.shiftForSuspension('2026-03-20', '2026-03-10', '2026-03-04')).toBe('2026-03-20');
  });
});

describe('properties', () => {
  const start = dateIn('2020-01-01', '2026-12-31');

  it('countWorkingDays(start, addWorkingDays(start, n)) === n', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 1, max: 60 }), (s, n) => {
        const r = cal.addWorkingDays(s, n);
        expect(cal.countWorkingDays(s, r.date)).toBe(n);
        expect(cal.isWorkingDay(r.date)).toBe(true);
        expect(r.crossed.every((d) => !d.workday && d.date > s && d.date < r.date)).toBe(true);
      }),
    );
  });

  it('addWorkingDays is monotonic in n', () => {
    fc.assert(
      fc.property(start, fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (s, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const dLo = cal.addWorkingDays(s, lo).date;
        const dHi = cal.addWorkingDays(s, hi).date;
        expect(dLo <= dHi).toBe(true);
        if (lo >= 1 && lo < hi) expect(dLo < dHi).toBe(true);
      }),
    );
  });

  it('countWorkingDays is 0 when to <= from', () => {
    fc.assert(
      fc.property(start, start, (a, b) => {
        if (b <= a) expect(cal.countWorkingDays(a, b)).toBe(0);
      }),
    );
  });

  it('shiftForSuspension never moves the due date earlier', () => {
    fc.assert(
      fc.property(start, start, start, (due, from, resumed) => {
        expect(cal.shiftForSuspension(due, from, resumed) >= due).toBe(true);
      }),
    );
  });

  it('a suspension with no working days lost leaves due unchanged', () => {
    fc.assert(
      fc.property(start, start, fc.integer({ min: 0, max: 10 }), (due, from, len) => {
        // Resume on the first working day on or after `from`: nothing lost.
        const resumed = cal.addWorkingDays(from, 0).date;
        expect(cal.shiftForSuspension(due, from, resumed)).toBe(due);
        // A span covering only non-working days also loses nothing.
        const days = Array.from({ length: len }, (_, i) =>
          new Date(Date.parse(`${from}T00:00:00Z`) + i * DAY).toISOString().slice(0, 10),
        );
        if (days.every((d) => !cal.isWorkingDay(d))) {
          const end = new Date(Date.parse(`${from}T00:00:00Z`) + len * DAY).toISOString().slice(0, 10);
          expect(cal.shiftForSuspension(due, from, end)).toBe(due);
        }
      }),
    );
  });

  it('a suspension of k working days moves due forward by exactly k working days', () => {
    fc.assert(
      fc.property(start, start, fc.integer({ min: 1, max: 30 }), (due, from, k) => {
        const first = cal.addWorkingDays(from, 0).date;
        const resumed = cal.addWorkingDays(first, k).date; // k working days in [first, resumed)
        const shifted = cal.shiftForSuspension(due, from, resumed);
        expect(cal.countWorkingDays(due, shifted)).toBe(k);
      }),
    );
  });

  it('adding 365 working days is cheap', () => {
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) cal.addWorkingDays('2020-01-01', 365);
    // Generous bound for a loaded 2-core machine; typical is well under 1 ms per call.
    expect((performance.now() - t0) / 200).toBeLessThan(5);
  });
});
