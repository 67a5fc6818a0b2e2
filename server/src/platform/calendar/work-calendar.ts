// Working-day calendar for statutory deadlines (办理时限).
//
// Dates are civil dates 'YYYY-MM-DD' in China (Asia/Shanghai). Internally a
// date is its day number since 1970-01-01 computed in UTC, so arithmetic never
// touches the machine's time zone and never meets a DST gap.
//
// Precedence for a day: a region's override, then the official calendar
// (holiday / make-up working day), then the weekday rule (Sat/Sun off).

import { type HolidayName, officialCalendar } from './official.js';

export type CalendarOverride = {
  date: string;
  workday: boolean;
  note?: string;
};

export type DayInfo = {
  date: string;
  workday: boolean;
  kind: 'workday' | 'weekend' | 'holiday' | 'makeup' | 'override-off' | 'override-on';
  /** Official holiday name, also kept when an override replaces an official day. */
  name?: HolidayName;
  /** The override's note, for override-on / override-off days. */
  note?: string;
  /** Which rule decided `workday`. */
  source: 'official' | 'override' | 'weekday-rule';
};

export type AddWorkingDaysResult = {
  date: string;
  /** True when a day examined lies in a year with no loaded calendar. */
  provisional: boolean;
  /** Non-working days skipped on the way, in order. */
  crossed: DayInfo[];
};

export type WorkCalendar = {
  dayInfo(date: string): DayInfo;
  isWorkingDay(date: string): boolean;
  nextWorkingDay(date: string): string;
  addWorkingDays(start: string, n: number): AddWorkingDaysResult;
  countWorkingDays(from: string, to: string): number;
  isYearLoaded(year: number): boolean;
  shiftForSuspension(due: string, suspendedFrom: string, resumedOn: string): string;
  daysOfYear(year: number): DayInfo[];
};

export type WorkCalendarOptions = {
  /** Region-specific days off or extra working days; the last entry for a date wins. */
  overrides?: readonly CalendarOverride[];
  /**
   * Years beyond the official data whose arrangements an administrator has
   * loaded (as overrides). Deadlines reaching other such years are provisional.
   */
  loadedYears?: readonly number[];
};

const MS_PER_DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDayNumber(date: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (m !== null) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 19xx.
    const t = new Date(0);
    t.setUTCFullYear(y, mo - 1, d);
    // Date rolls 31 Feb over into March: the round trip catches it.
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d) {
      return Math.round(t.getTime() / MS_PER_DAY);
    }
  }
  throw new RangeError(`not a civil date YYYY-MM-DD: ${String(date)}`);
}

function fromDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

function yearOf(n: number): number {
  return new Date(n * MS_PER_DAY).getUTCFullYear();
}

// 1970-01-01 was a Thursday (4); 0 = Sunday as in Date#getUTCDay.
function weekdayOf(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

type OfficialIndex = {
  years: ReadonlySet<number>;
  holidays: ReadonlyMap<number, HolidayName>;
  makeup: ReadonlyMap<number, HolidayName>;
};

let officialIndex: OfficialIndex | undefined;

// Day-number keyed copy of the official data, built once per process and
// shared by every calendar instance (one per region).
function getOfficialIndex(): OfficialIndex {
  if (officialIndex === undefined) {
    const cal = officialCalendar();
    const byDay = (m: ReadonlyMap<string, HolidayName>): Map<number, HolidayName> =>
      new Map([...m].map(([date, name]) => [toDayNumber(date), name]));
    officialIndex = {
      years: new Set(cal.years),
      holidays: byDay(cal.holidays),
      makeup: byDay(cal.makeupWorkdays),
    };
  }
  return officialIndex;
}

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${String(n)}`);
  }
}

export function createWorkCalendar(opts: WorkCalendarOptions = {}): WorkCalendar {
  const official = getOfficialIndex();
  const overrides = new Map<number, CalendarOverride>();
  for (const o of opts.overrides ?? []) overrides.set(toDayNumber(o.date), o);
  const loadedYears = new Set(opts.loadedYears ?? []);

  const isYearLoaded = (year: number): boolean => official.years.has(year) || loadedYears.has(year);

  // Hot path: no allocation, integer keys only.
  const isWorking = (n: number): boolean => {
    const o = overrides.get(n);
    if (o !== undefined) return o.workday;
    if (official.holidays.has(n)) return false;
    if (official.makeup.has(n)) return true;
    const w = weekdayOf(n);
    return w !== 0 && w !== 6;
  };

  const info = (n: number): DayInfo => {
    const date = fromDayNumber(n);
    const holiday = official.holidays.get(n);
    const makeup = official.makeup.get(n);
    const name = holiday ?? makeup;
    const o = overrides.get(n);
    if (o !== undefined) {
      const day: DayInfo = {
        date,
        workday: o.workday,
        kind: o.workday ? 'override-on' : 'override-off',
        source: 'override',
      };
      if (name !== undefined) day.name = name;
      if (o.note !== undefined) day.note = o.note;
      return day;
    }
    if (holiday !== undefined) {
      return { date, workday: false, kind: 'holiday', name: holiday, source: 'official' };
    }
    if (makeup !== undefined) {
      return { date, workday: true, kind: 'makeup', name: makeup, source: 'official' };
    }
    const w = weekdayOf(n);
    return w === 0 || w === 6
      ? { date, workday: false, kind: 'weekend', source: 'weekday-rule' }
      : { date, workday: true, kind: 'workday', source: 'weekday-rule' };
  };

  // Every year touched by day numbers first..last must have a calendar.
  const rangeProvisional = (first: number, last: number): boolean => {
    const to = yearOf(last);
    for (let y = yearOf(first); y <= to; y++) if (!isYearLoaded(y)) return true;
    return false;
  };

  // Working days d with from < d <= to, as day numbers.
  const countBetween = (from: number, to: number): number => {
    let count = 0;
    for (let d = from + 1; d <= to; d++) if (isWorking(d)) count++;
    return count;
  };

  /**
   * The date on which a period of `n` working days ends, counted as the
   * Administrative Licensing Law counts: the day of `start` itself is not
   * counted, the period begins the next day, and only working days count.
   * n = 0 means "today if it is a working day, else the next working day"
   * (the earliest date a same-day act can be completed); `crossed` then
   * includes `start` when it is not a working day.
   */
  const addWorkingDays = (start: string, n: number): AddWorkingDaysResult => {
    assertCount(n, 'n');
    const s = toDayNumber(start);
    const crossed: DayInfo[] = [];
    let d = s;
    let first = s;
    if (n === 0) {
      while (!isWorking(d)) {
        crossed.push(info(d));
        d++;
      }
    } else {
      first = s + 1;
      let counted = 0;
      while (counted < n) {
        d++;
        if (isWorking(d)) counted++;
        else crossed.push(info(d));
      }
    }
    return { date: fromDayNumber(d), provisional: rangeProvisional(first, d), crossed };
  };

  return {
    dayInfo: (date) => info(toDayNumber(date)),
    isWorkingDay: (date) => isWorking(toDayNumber(date)),
    nextWorkingDay: (date) => {
      let d = toDayNumber(date) + 1;
      while (!isWorking(d)) d++;
      return fromDayNumber(d);
    },
    addWorkingDays,
    countWorkingDays: (from, to) => countBetween(toDayNumber(from), toDayNumber(to)),
    isYearLoaded,
    /**
     * Extends `due` by the working days lost while a case was suspended
     * (中止/暂停计时): working days d with suspendedFrom <= d < resumedOn,
     * i.e. the resumption day counts again. Never earlier than `due`; an
     * empty or inverted suspension returns `due` unchanged.
     */
    shiftForSuspension: (due, suspendedFrom, resumedOn) => {
      toDayNumber(due);
      const lost = countBetween(toDayNumber(suspendedFrom) - 1, toDayNumber(resumedOn) - 1);
      return lost === 0 ? due : addWorkingDays(due, lost).date;
    },
    daysOfYear: (year) => {
      if (!Number.isInteger(year) || year < 1 || year > 9999) {
        throw new RangeError(`year out of range: ${String(year)}`);
      }
      const first = toDayNumber(`${String(year).padStart(4, '0')}-01-01`);
      const last = toDayNumber(`${String(year).padStart(4, '0')}-12-31`);
      const days: DayInfo[] = [];
      for (let d = first; d <= last; d++) days.push(info(d));
      return days;
    },
  };
}
