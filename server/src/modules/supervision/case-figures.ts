import type { Insertable, Selectable } from 'kysely';
import type { SupCaseFiguresTable, SupDailyTable } from '../../db/supervision-types.js';
import type { CasesTable } from '../../db/types.js';
import type { WorkCalendar } from '../../platform/calendar/index.js';
import { civilDate } from '../../platform/clock.js';

/**
 * What one case contributes to the published figures, computed once from the case row when it changes
 * (docs/metrics.md defines every field). Working days are counted here, per case, never at read time.
 */
export type CaseFigures = Omit<Insertable<SupCaseFiguresTable>, 'updated_at'>;

/** Statuses counted as pending (在办): received, not finished, not with the applicant for editing. */
export const pendingStatuses = [
  'submitted',
  'registered',
  'correcting',
  'accepted',
  'suspended',
  'approved',
  'denied',
] as const;

export type CaseFactsRow = Pick<
  Selectable<CasesTable>,
  | 'id'
  | 'region_code'
  | 'department_id'
  | 'item_code'
  | 'hall_id'
  | 'window_id'
  | 'assignee_id'
  | 'registered_by'
  | 'channel'
  | 'status'
  | 'case_kind'
  | 'received_at'
  | 'accepted_on'
  | 'completed_at'
  | 'completed_on_spot'
  | 'promised_due'
  | 'promised_due_at'
  | 'promised_days'
  | 'legal_days'
  | 'extended_days'
  | 'correction_count'
  | 'deficiency_pending'
  | 'deficiency_due'
  | 'delivery_method'
>;

/** Facts from the timeline that the row alone no longer shows (a 容缺 material supplied since). */
export type TimelineFacts = { deferredAtAcceptance: boolean; preReviewed: boolean };

export function caseFigures(c: CaseFactsRow, t: TimelineFacts, calendar: WorkCalendar): CaseFigures {
  const receivedOn = c.received_at ? civilDate(c.received_at) : null;
  const completedOn = c.completed_at ? civilDate(c.completed_at) : null;
  const online = c.channel === 'online';
  const timed = completedOn !== null && c.accepted_on !== null && c.promised_due !== null;
  let taken = 0;
  if (timed && completedOn && c.promised_due) {
    const left =
      completedOn <= c.promised_due
        ? calendar.countWorkingDays(completedOn, c.promised_due)
        : -calendar.countWorkingDays(c.promised_due, completedOn);
    taken = Math.max(0, c.promised_days + c.extended_days - left);
  }
  const onTime =
    completedOn !== null &&
    (c.completed_on_spot ||
      !c.promised_due_at ||
      (c.completed_at as Date).getTime() <= c.promised_due_at.getTime());
  return {
    case_id: c.id,
    region_code: c.region_code,
    department_id: c.department_id,
    item_code: c.item_code,
    hall_id: c.hall_id ?? '',
    window_id: c.window_id ?? '',
    staff_id: c.assignee_id ?? c.registered_by ?? '',
    received_on: receivedOn,
    accepted_on: c.accepted_on,
    completed_on: completedOn,
    pending: receivedOn !== null && (pendingStatuses as readonly string[]).includes(c.status),
    online,
    prereviewed:
      online && receivedOn !== null && (t.preReviewed || !['submitted', 'withdrawn'].includes(c.status)),
    corrected: c.correction_count > 0,
    deficiency:
      c.accepted_on !== null && (t.deferredAtAcceptance || c.deficiency_pending || c.deficiency_due !== null),
    immediate_item: completedOn !== null && c.case_kind === 'immediate',
    on_spot: completedOn !== null && c.completed_on_spot,
    on_time: onTime,
    timed,
    fully_online:
      completedOn !== null && online && (c.delivery_method === 'download' || c.delivery_method === 'mail'),
    legal_days: timed ? Math.max(c.legal_days, c.promised_days) : 0,
    promised_days: timed ? c.promised_days : 0,
    days_taken: taken,
    days_early: timed ? Math.max(0, c.promised_days - taken) : 0,
  };
}

export const counters = [
  'received',
  'received_online',
  'prereviewed',
  'corrected',
  'pending',
  'accepted',
  'deficiency',
  'completed',
  'on_time',
  'immediate_item',
  'on_spot',
  'fully_online',
  'timed',
  'legal_sum',
  'promised_sum',
  'taken_sum',
  'early_sum',
] as const;
export type Counter = (typeof counters)[number];
export type DailyKey = Pick<
  SupDailyTable,
  'region_code' | 'department_id' | 'item_code' | 'hall_id' | 'window_id' | 'staff_id'
> & { day: string };
export type DailyDelta = DailyKey & Record<Counter, number>;

const b = (x: boolean) => (x ? 1 : 0);

/** The rollup rows a case's figures add to: its received day, its accepted day and its completed day. */
export function contributions(f: CaseFigures): { day: string; values: Partial<Record<Counter, number>> }[] {
  const out: { day: string; values: Partial<Record<Counter, number>> }[] = [];
  if (f.received_on)
    out.push({
      day: f.received_on,
      values: {
        received: 1,
        received_online: b(f.online),
        prereviewed: b(f.prereviewed),
        corrected: b(f.corrected),
        pending: b(f.pending),
      },
    });
  if (f.accepted_on) out.push({ day: f.accepted_on, values: { accepted: 1, deficiency: b(f.deficiency) } });
  if (f.completed_on)
    out.push({
      day: f.completed_on,
      values: {
        completed: 1,
        on_time: b(f.on_time),
        immediate_item: b(f.immediate_item),
        on_spot: b(f.on_spot),
        fully_online: b(f.fully_online),
        timed: b(f.timed),
        legal_sum: f.legal_days,
        promised_sum: f.promised_days,
        taken_sum: f.days_taken,
        early_sum: f.days_early,
      },
    });
  return out;
}

/** Adds `sign ×` a case's contributions into `acc`, keyed by day and dimensions. */
export function accumulate(acc: Map<string, DailyDelta>, f: CaseFigures, sign: 1 | -1): void {
  for (const { day, values } of contributions(f)) {
    const key: DailyKey = {
      day,
      region_code: f.region_code,
      department_id: f.department_id,
      item_code: f.item_code,
      hall_id: f.hall_id,
      window_id: f.window_id,
      staff_id: f.staff_id,
    };
    const k = [day, f.region_code, f.department_id, f.item_code, f.hall_id, f.window_id, f.staff_id].join(
      '|',
    );
    let row = acc.get(k);
    if (!row) {
      row = { ...key, ...(Object.fromEntries(counters.map((c) => [c, 0])) as Record<Counter, number>) };
      acc.set(k, row);
    }
    for (const [name, v] of Object.entries(values) as [Counter, number][]) row[name] += sign * v;
  }
}
