import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../platform/calendar/index.js';
import { endOfDay, extendClock, resumeClock, startClock, warningLevel, workingDaysLeft } from './clock.js';

const calendar = createWorkCalendar();

describe('case clocks on the 2026 calendar', () => {
  it('accepted the working day before Spring Festival, 3 promised days end after the holiday', () => {
    // 2026-02-14 is a make-up Saturday; 02-15..02-23 are the holiday; 02-24 is the first working day after.
    const d = startClock(calendar, { acceptedOn: '2026-02-13', promisedDays: 3, legalDays: 20, warnDays: 1 });
    expect(d.promisedDue).toBe('2026-02-25');
    expect(d.warnOn).toBe('2026-02-24');
    expect(d.provisional).toBe(false);
  });

  it('accepted before National Day: 7 promised days skip the whole week', () => {
    const d = startClock(calendar, { acceptedOn: '2026-09-29', promisedDays: 7, legalDays: 20, warnDays: 1 });
    // 09-30, 10-08, 10-09, 10-10 (make-up Saturday), 10-12, 10-13, 10-14
    expect(d.promisedDue).toBe('2026-10-14');
  });

  it('a suspension across National Day gives back only the working days lost', () => {
    const d = startClock(calendar, {
      acceptedOn: '2026-09-21',
      promisedDays: 10,
      legalDays: 20,
      warnDays: 1,
    });
    // Suspended 09-28 (Mon), resumed 10-09 (Fri): lost 09-28, 09-29, 09-30, 10-08 = 4 working days.
    const r = resumeClock(calendar, d, { suspendedOn: '2026-09-28', resumedOn: '2026-10-09', warnDays: 1 });
    expect(workingDaysLeft(calendar, d.promisedDue, r.promisedDue)).toBe(4);
  });

  it('an extension adds working days', () => {
    const d = startClock(calendar, { acceptedOn: '2026-11-02', promisedDays: 5, legalDays: 20, warnDays: 1 });
    const e = extendClock(calendar, d, { days: 10, warnDays: 1, today: '2026-11-05' });
    expect(workingDaysLeft(calendar, d.promisedDue, e.promisedDue)).toBe(10);
    expect(workingDaysLeft(calendar, d.legalDue, e.legalDue)).toBe(10);
  });

  it('turns yellow on the warn day and red after the due day', () => {
    const d = startClock(calendar, { acceptedOn: '2026-11-02', promisedDays: 3, legalDays: 20, warnDays: 1 });
    const warnAt = new Date(`${d.warnOn}T00:00:00+08:00`);
    expect(warningLevel(new Date('2026-11-03T10:00:00+08:00'), warnAt, endOfDay(d.promisedDue))).toBe(
      'green',
    );
    expect(warningLevel(new Date(`${d.warnOn}T09:00:00+08:00`), warnAt, endOfDay(d.promisedDue))).toBe(
      'yellow',
    );
    expect(warningLevel(new Date(`${d.promisedDue}T23:00:00+08:00`), warnAt, endOfDay(d.promisedDue))).toBe(
      'yellow',
    );
    expect(warningLevel(new Date('2026-11-30T09:00:00+08:00'), warnAt, endOfDay(d.promisedDue))).toBe('red');
  });

  it('a deadline never moves earlier after any suspension', () => {
    const day = fc.integer({ min: 0, max: 600 }).map((n) => {
      const d = new Date(Date.UTC(2024, 0, 1 + n));
      return d.toISOString().slice(0, 10);
    });
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        (accepted, promised, startOffset, length) => {
          const d = startClock(calendar, {
            acceptedOn: accepted,
            promisedDays: promised,
            legalDays: 45,
            warnDays: 1,
          });
          const from = new Date(`${accepted}T00:00:00Z`);
          from.setUTCDate(from.getUTCDate() + startOffset);
          const to = new Date(from);
          to.setUTCDate(to.getUTCDate() + length);
          const r = resumeClock(calendar, d, {
            suspendedOn: from.toISOString().slice(0, 10),
            resumedOn: to.toISOString().slice(0, 10),
            warnDays: 1,
          });
          expect(r.promisedDue >= d.promisedDue).toBe(true);
          expect(r.legalDue >= d.legalDue).toBe(true);
        },
      ),
    );
  });
});
