import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { createWorkCalendar, type WorkCalendar } from '../../platform/calendar/index.js';
import { fieldError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertAdministerRegion, requireActor, requireStaff } from '../../platform/policy.js';
import type { Tx } from '../../platform/tx.js';
import { regionContains } from '../../platform/validators/index.js';
import { requireRegion } from '../org/service.js';
import type * as s from './schema.js';

/** A region's calendar: official data, plus the overrides and loaded years of the region and its ancestors. */
const cache = new Map<string, { at: number; calendar: WorkCalendar }>();
const CACHE_MS = 30_000;

function ancestors(regionCode: string, all: string[]): string[] {
  return all.filter((code) => regionContains(code, regionCode));
}

export async function calendarFor(db: Tx, regionCode: string): Promise<WorkCalendar> {
  const hit = cache.get(regionCode);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.calendar;
  const overrides = await db
    .selectFrom('calendar_overrides')
    .select(['region_code', 'date', 'workday', 'note'])
    .execute();
  const years = await db.selectFrom('calendar_years').select(['region_code', 'year']).execute();
  const chain = ancestors(regionCode, [
    ...new Set([...overrides.map((o) => o.region_code), ...years.map((y) => y.region_code)]),
  ]);
  // The nearest region wins: sort so deeper regions come last and overwrite their ancestors' days.
  const applicable = overrides
    .filter((o) => chain.includes(o.region_code))
    .sort((a, b) => a.region_code.length - b.region_code.length);
  const calendar = createWorkCalendar({
    overrides: applicable.map((o) => ({ date: o.date, workday: o.workday, note: o.note })),
    loadedYears: years.filter((y) => chain.includes(y.region_code)).map((y) => y.year),
  });
  cache.set(regionCode, { at: Date.now(), calendar });
  return calendar;
}

export function invalidateCalendars(): void {
  cache.clear();
}

export async function yearDays(db: Db, actor: Actor | null, year: number, regionCode: string) {
  requireActor(actor);
  await requireRegion(db, regionCode, 'regionCode');
  const calendar = await calendarFor(db, regionCode);
  return { year, regionCode, loaded: calendar.isYearLoaded(year), days: calendar.daysOfYear(year) };
}

export async function listOverrides(
  db: Db,
  actor: Actor | null,
  query: z.output<typeof s.overridesQuery>,
  home: string,
) {
  requireStaff(actor);
  const regionCode = query.regionCode ?? home;
  let qb = db.selectFrom('calendar_overrides').select(['id', 'region_code', 'date', 'workday', 'note']);
  const all = await qb.execute();
  const chain = ancestors(regionCode, [...new Set(all.map((o) => o.region_code))]);
  qb = qb.where('region_code', 'in', chain.length ? chain : ['#']);
  if (query.year)
    qb = qb.where('date', '>=', `${query.year}-01-01`).where('date', '<=', `${query.year}-12-31`);
  const rows = await qb.orderBy('date').execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      regionCode: r.region_code,
      date: r.date,
      workday: r.workday,
      note: r.note,
    })),
  };
}

export async function createOverride(db: Db, actor: Actor | null, input: z.output<typeof s.createOverride>) {
  const staff = requireStaff(actor);
  const result = await db.transaction().execute(async (trx) => {
    await requireRegion(trx, input.regionCode, 'regionCode');
    assertAdministerRegion(staff, input.regionCode);
    const clash = await trx
      .selectFrom('calendar_overrides')
      .select('id')
      .where('region_code', '=', input.regionCode)
      .where('date', '=', input.date)
      .executeTakeFirst();
    if (clash) throw fieldError('date', 'unique', 'rule.unique', { value: input.date });
    const id = newId();
    await trx
      .insertInto('calendar_overrides')
      .values({
        id,
        region_code: input.regionCode,
        date: input.date,
        workday: input.workday,
        note: input.note,
        created_by: staff.id,
      })
      .execute();
    await recordAudit(trx, staff, {
      action: 'calendar.override',
      targetType: 'calendar',
      targetId: id,
      regionCode: input.regionCode,
      after: input,
    });
    return { id, regionCode: input.regionCode, date: input.date, workday: input.workday, note: input.note };
  });
  invalidateCalendars();
  return result;
}

export async function deleteOverride(db: Db, actor: Actor | null, id: string): Promise<void> {
  const staff = requireStaff(actor);
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('calendar_overrides')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw notFound('what.override');
    assertAdministerRegion(staff, row.region_code);
    await trx.deleteFrom('calendar_overrides').where('id', '=', id).execute();
    await recordAudit(trx, staff, {
      action: 'calendar.override_delete',
      targetType: 'calendar',
      targetId: id,
      regionCode: row.region_code,
      before: { date: row.date, workday: row.workday, note: row.note },
    });
  });
  invalidateCalendars();
}

/** Declare a later year's holidays entered (from the State Council notice): deadlines in it stop being provisional. */
export async function markYearLoaded(db: Db, actor: Actor | null, input: z.output<typeof s.loadYear>) {
  const staff = requireStaff(actor);
  await db.transaction().execute(async (trx) => {
    await requireRegion(trx, input.regionCode, 'regionCode');
    assertAdministerRegion(staff, input.regionCode);
    await trx
      .insertInto('calendar_years')
      .values({ region_code: input.regionCode, year: input.year, note: input.note, created_by: staff.id })
      .onConflict((oc) => oc.columns(['region_code', 'year']).doUpdateSet({ note: input.note }))
      .execute();
    await recordAudit(trx, staff, {
      action: 'calendar.year_loaded',
      targetType: 'calendar',
      targetId: String(input.year),
      regionCode: input.regionCode,
      after: input,
    });
  });
  invalidateCalendars();
  return { regionCode: input.regionCode, year: input.year, loaded: true };
}

export async function compute(
  db: Db,
  actor: Actor | null,
  query: z.output<typeof s.computeQuery>,
  home: string,
) {
  requireActor(actor);
  const regionCode = query.regionCode ?? home;
  await requireRegion(db, regionCode, 'regionCode');
  const calendar = await calendarFor(db, regionCode);
  const result = calendar.addWorkingDays(query.from, query.days);
  return { due: result.date, provisional: result.provisional, crossed: result.crossed };
}
