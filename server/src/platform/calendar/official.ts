// The State Council's holiday arrangements (国务院办公厅关于节假日安排的通知)
// as shipped by the `chinese-days` package.
//
// We read the package's raw JSON rather than its API: the API answers one day
// at a time and, past the last year it knows, silently falls back to
// "Monday to Friday are working days" without saying so. The JSON tells us
// exactly which dates are official holidays and make-up working days, and so
// which years are actually covered.
//
// Shape of dist/chinese-days.json:
//   holidays:   { 'YYYY-MM-DD': 'English name,中文名,N' }  every day off in a
//               holiday period, weekends inside the period included
//   workdays:   { 'YYYY-MM-DD': ... }  weekend days that are working days (调休)
//   inLieuDays: { 'YYYY-MM-DD': ... }  weekdays off in exchange for a make-up
//               day; always a subset of `holidays`, so not needed here
// N is the number of statutory days (法定假日天数) of that festival.

import { createRequire } from 'node:module';

export type HolidayName = { zh: string; en: string };

export type OfficialCalendar = {
  /** Years with official data, ascending. */
  years: readonly number[];
  /** Days off in holiday periods (weekends inside a period included). */
  holidays: ReadonlyMap<string, HolidayName>;
  /** Weekend days that are working days (调休 make-up days). */
  makeupWorkdays: ReadonlyMap<string, HolidayName>;
};

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function parseName(raw: string): HolidayName {
  const [en, zh] = raw.split(',');
  if (en === undefined || zh === undefined || en === '' || zh === '') {
    return { zh: raw, en: raw };
  }
  return { zh, en };
}

// The JSON is outside our control: validate it, so that a package upgrade
// with a new layout fails loudly at start instead of yielding wrong deadlines.
function toNameMap(value: unknown, field: string): Map<string, HolidayName> {
  if (typeof value !== 'object' || value === null) {
    throw new Error(`chinese-days data: ${field} is not an object`);
  }
  const out = new Map<string, HolidayName>();
  for (const [date, raw] of Object.entries(value)) {
    if (!DATE_RE.test(date) || typeof raw !== 'string') {
      throw new Error(`chinese-days data: bad ${field} entry ${date}`);
    }
    out.set(date, parseName(raw));
  }
  return out;
}

/** Builds the calendar from the package's raw JSON (exported for tests). */
export function parseOfficialData(data: unknown): OfficialCalendar {
  if (typeof data !== 'object' || data === null) {
    throw new Error('chinese-days data: not an object');
  }
  const record = data as Record<string, unknown>;
  const holidays = toNameMap(record.holidays, 'holidays');
  const makeupWorkdays = toNameMap(record.workdays, 'workdays');
  const yearSet = new Set<number>();
  for (const date of [...holidays.keys(), ...makeupWorkdays.keys()]) {
    yearSet.add(Number(date.slice(0, 4)));
  }
  const years = [...yearSet].sort((a, b) => a - b);
  return { years, holidays, makeupWorkdays };
}

let cached: OfficialCalendar | undefined;

/** The official calendar, loaded once per process (shared: read-only). */
export function officialCalendar(): OfficialCalendar {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    cached = parseOfficialData(require('chinese-days/dist/chinese-days.json') as unknown);
  }
  return cached;
}
