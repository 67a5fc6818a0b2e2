import type { WorkCalendar } from '../../platform/calendar/index.js';

/**
 * Statutory clocks in working days. Dates are civil dates (YYYY-MM-DD, Asia/Shanghai); the case stores the
 * instants `due_at` (end of the due day) and `warn_at` (start of the first yellow day), so lists and
 * supervision compare timestamps through an index and never count working days at read time.
 */
export type Deadlines = {
  /** Promised (承诺) due date. */
  promisedDue: string;
  /** Legal (法定) due date. */
  legalDue: string;
  /** First day the case shows yellow: `warnDays` working days or fewer left. */
  warnOn: string;
  /** The computation reached a year whose official calendar is not loaded yet. */
  provisional: boolean;
};

export function endOfDay(date: string): Date {
  return new Date(`${date}T23:59:59.999+08:00`);
}

export function startOfDay(date: string): Date {
  return new Date(`${date}T00:00:00.000+08:00`);
}

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The date `n` working days before `date` (n = 0: `date` itself). */
export function subtractWorkingDays(calendar: WorkCalendar, date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = shiftDate(d, -1);
    if (calendar.isWorkingDay(d)) left -= 1;
  }
  return d;
}

/**
 * The period starts the day after acceptance (Administrative Licensing Law art. 42 counting): N working days
 * after the acceptance date. A 0-day (即办) item is due on the day of acceptance.
 */
export function startClock(
  calendar: WorkCalendar,
  input: { acceptedOn: string; promisedDays: number; legalDays: number; warnDays: number },
): Deadlines {
  const promised = calendar.addWorkingDays(input.acceptedOn, input.promisedDays);
  const legal = calendar.addWorkingDays(input.acceptedOn, Math.max(input.legalDays, input.promisedDays));
  return {
    promisedDue: promised.date,
    legalDue: legal.date,
    warnOn: warnDate(calendar, input.acceptedOn, promised.date, input.warnDays),
    provisional: promised.provisional || legal.provisional,
  };
}

export function warnDate(calendar: WorkCalendar, startedOn: string, due: string, warnDays: number): string {
  const w = subtractWorkingDays(calendar, due, warnDays);
  return w < startedOn ? startedOn : w;
}

/**
 * Resume after a suspension (special stage, 中止): the working days lost from the day the clock stopped to the
 * day before it restarts are added back. The deadline never moves earlier.
 */
export function resumeClock(
  calendar: WorkCalendar,
  deadlines: Deadlines,
  input: { suspendedOn: string; resumedOn: string; warnDays: number },
): Deadlines {
  const promisedDue = calendar.shiftForSuspension(deadlines.promisedDue, input.suspendedOn, input.resumedOn);
  const legalDue = calendar.shiftForSuspension(deadlines.legalDue, input.suspendedOn, input.resumedOn);
  return {
    promisedDue,
    legalDue,
    warnOn: warnDate(calendar, input.resumedOn, promisedDue, input.warnDays),
    provisional:
      deadlines.provisional ||
      !calendar.isYearLoaded(Number(promisedDue.slice(0, 4))) ||
      !calendar.isYearLoaded(Number(legalDue.slice(0, 4))),
  };
}

/** 延期: add working days to both deadlines. */
export function extendClock(
  calendar: WorkCalendar,
  deadlines: Deadlines,
  input: { days: number; warnDays: number; today: string },
): Deadlines {
  const promised = calendar.addWorkingDays(deadlines.promisedDue, input.days);
  const legal = calendar.addWorkingDays(deadlines.legalDue, input.days);
  return {
    promisedDue: promised.date,
    legalDue: legal.date,
    warnOn: warnDate(calendar, input.today, promised.date, input.warnDays),
    provisional: deadlines.provisional || promised.provisional || legal.provisional,
  };
}

export type WarningLevel = 'green' | 'yellow' | 'red';

/** The colour a case shows at `now` from its stored instants. */
export function warningLevel(now: Date, warnAt: Date | null, dueAt: Date | null): WarningLevel {
  if (!dueAt) return 'green';
  if (now > dueAt) return 'red';
  if (warnAt && now >= warnAt) return 'yellow';
  return 'green';
}

/** Working days left from `today` to `due` (0 on the due day, negative when late). */
export function workingDaysLeft(calendar: WorkCalendar, today: string, due: string): number {
  if (today <= due) return calendar.countWorkingDays(today, due);
  return -calendar.countWorkingDays(due, today);
}
