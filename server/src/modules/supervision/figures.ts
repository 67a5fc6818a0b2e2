import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { today } from '../../platform/clock.js';
import { coalescerPerDatabase } from '../../platform/coalesce.js';
import { fieldError } from '../../platform/errors.js';
import type { Tx } from '../../platform/tx.js';
import { type Counter, counters } from './case-figures.js';
import { regionFilter, requireWatcher, watchedPrefixes } from './policy.js';
import { rollupRows } from './rollups.js';
import type * as s from './schema.js';

/**
 * The published figures, read from the rollups (rollups.ts: whole months from `sup_monthly`, the days around
 * them from `sup_daily`) — a sum over at most a few dozen rows per key, never a pass over cases. Every
 * figure has one definition, in docs/metrics.md; `deriveFigures` is its only implementation, used by the dashboard, the assessment and the bulletin alike, so they agree to the unit.
 */
export type Figures = z.output<typeof s.figures>;
export type Dimension = (typeof s.dimensions)[number];
export type Granularity = (typeof s.granularities)[number];
export type Sums = Record<Counter, number>;

/** Rollup column of each dimension. */
export const dimensionColumn: Record<Dimension, string> = {
  region: 'region_code',
  hall: 'hall_id',
  department: 'department_id',
  window: 'window_id',
  item: 'item_code',
  staff: 'staff_id',
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The calendar period (Monday-based weeks) that contains `date`, as inclusive civil dates. */
export function periodRange(period: Granularity, date: string): { from: string; to: string } {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  switch (period) {
    case 'day':
      return { from: date, to: date };
    case 'week': {
      const d = new Date(`${date}T00:00:00Z`);
      const dow = (d.getUTCDay() + 6) % 7;
      const start = new Date(d.getTime() - dow * 86400_000);
      return { from: iso(start), to: iso(new Date(start.getTime() + 6 * 86400_000)) };
    }
    case 'month':
      return { from: `${y}-${pad(m)}-01`, to: iso(new Date(Date.UTC(y, m, 0))) };
    case 'quarter': {
      const q0 = Math.floor((m - 1) / 3) * 3;
      return { from: `${y}-${pad(q0 + 1)}-01`, to: iso(new Date(Date.UTC(y, q0 + 3, 0))) };
    }
    case 'year':
      return { from: `${y}-01-01`, to: `${y}-12-31` };
  }
}

export function resolveRange(q: z.output<typeof s.periodQuery>): { from: string; to: string } {
  if (q.from || q.to) {
    if (!q.from) throw fieldError('from', 'required', 'rule.required');
    if (!q.to) throw fieldError('to', 'required', 'rule.required');
    if (q.to < q.from) throw fieldError('to', 'dateOrder', 'rule.dateOrder', { other: q.from });
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86400_000;
    if (days > 366 * 5) throw fieldError('to', 'rangeTooLong', 'rule.rangeTooLong', { maximum: 5 });
    return { from: q.from, to: q.to };
  }
  return periodRange(q.period, q.date ?? today());
}

/** A percentage with two decimals; null when there is nothing to divide by. */
export function pct(num: number, den: number): number | null {
  if (den === 0) return null;
  return Math.round((num / den) * 10000) / 100;
}

export function emptySums(): Sums {
  return Object.fromEntries(counters.map((c) => [c, 0])) as Sums;
}

/** The one implementation of every definition in docs/metrics.md. */
export function deriveFigures(x: Sums, joint: { cases: number; daysSaved: number } | null): Figures {
  return {
    received: x.received,
    accepted: x.accepted,
    completed: x.completed,
    pending: x.pending,
    onTimeCompleted: x.on_time,
    onTimeRate: pct(x.on_time, x.completed),
    immediateItemShare: pct(x.immediate_item, x.completed),
    onSpotShare: pct(x.on_spot, x.completed),
    promisedSpeedup: pct(x.legal_sum - x.promised_sum, x.legal_sum),
    handlingSpeedup: pct(x.legal_sum - x.taken_sum, x.legal_sum),
    earlyDays: x.early_sum,
    averageDays: x.timed === 0 ? null : Math.round((x.taken_sum / x.timed) * 100) / 100,
    onlineRate: pct(x.received_online, x.received),
    preReviewRate: pct(x.prereviewed, x.received),
    fullyOnlineRate: pct(x.fully_online, x.completed),
    correctionRate: pct(x.corrected, x.received),
    deficiencyShare: pct(x.deficiency, x.accepted),
    jointCases: joint ? joint.cases : null,
    jointDaysSaved: joint ? joint.daysSaved : null,
  };
}

const sumSelect = sql.join(
  counters.map((c) => sql`coalesce(sum(${sql.ref(c)}), 0)::bigint AS ${sql.ref(c)}`),
);

function toSums(row: Record<string, unknown> | undefined): Sums {
  const out = emptySums();
  if (row) for (const c of counters) out[c] = Number(row[c] ?? 0);
  return out;
}

/** Sums of the rollup over a range, optionally grouped by one dimension. */
export async function rollupSums(
  db: Tx,
  range: { from: string; to: string },
  prefixes: string[] | null,
  groupBy?: Dimension,
): Promise<{ total: Sums; groups: { key: string; sums: Sums }[] }> {
  const rows = rollupRows(range, regionFilter(prefixes, 'region_code'));
  const total = await sql<Record<string, unknown>>`SELECT ${sumSelect} FROM ${rows} r`.execute(db);
  const groups: { key: string; sums: Sums }[] = [];
  if (groupBy) {
    const col = sql.ref(dimensionColumn[groupBy]);
    const grouped = await sql<Record<string, unknown> & { key: string }>`
      SELECT ${col}::text AS key, ${sumSelect} FROM ${rows} r GROUP BY ${col}`.execute(db);
    for (const r of grouped.rows) groups.push({ key: r.key, sums: toSums(r) });
  }
  return { total: toSums(total.rows[0]), groups };
}

/** Joint cases (issue 5) completed in the range and the working days they saved, when the module exists. */
export async function jointFigures(
  db: Tx,
  range: { from: string; to: string },
  prefixes: string[] | null,
): Promise<{ cases: number; daysSaved: number } | null> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('joint_cases')::text AS t`.execute(db);
  if (!exists.rows[0]?.t) return null;
  const r = await sql<{ n: number; saved: number }>`
    SELECT count(*)::bigint AS n,
      coalesce(sum(sequential_limit_days - working_days_taken), 0)::bigint AS saved
    FROM joint_cases
    WHERE completed_at IS NOT NULL AND completed_on BETWEEN ${range.from} AND ${range.to}
      AND working_days_taken IS NOT NULL AND ${regionFilter(prefixes, 'region_code')}`.execute(db);
  return { cases: Number(r.rows[0]?.n ?? 0), daysSaved: Number(r.rows[0]?.saved ?? 0) };
}

/** Display names of dimension keys. */
export async function dimensionNames(db: Tx, dim: Dimension, keys: string[]): Promise<Map<string, string>> {
  const ids = keys.filter((k) => k !== '');
  const out = new Map<string, string>();
  if (ids.length > 0) {
    let rows: { key: string; name: string }[] = [];
    switch (dim) {
      case 'region':
        rows = await db
          .selectFrom('regions')
          .select(['code as key', 'name'])
          .where('code', 'in', ids)
          .execute();
        break;
      case 'department':
        rows = await db
          .selectFrom('departments')
          .select(['id as key', 'name'])
          .where('id', 'in', ids)
          .execute();
        break;
      case 'hall':
        rows = await db.selectFrom('halls').select(['id as key', 'name']).where('id', 'in', ids).execute();
        break;
      case 'window':
        rows = await db
          .selectFrom('windows')
          .select(['id as key', sql<string>`number || ' ' || name`.as('name')])
          .where('id', 'in', ids)
          .execute();
        break;
      case 'staff':
        rows = await db
          .selectFrom('staff')
          .select(['id as key', 'display_name as name'])
          .where('id', 'in', ids)
          .execute();
        break;
      case 'item':
        rows = await db
          .selectFrom('catalog_current')
          .select(['code as key', 'name'])
          .where('kind', '=', 'item')
          .where('code', 'in', ids)
          .execute();
        break;
    }
    for (const r of rows) out.set(r.key, r.name);
  }
  return out;
}

export async function computeFigures(
  db: Tx,
  range: { from: string; to: string },
  prefixes: string[] | null,
  groupBy?: Dimension,
): Promise<z.output<typeof s.figuresResult>> {
  const [{ total, groups }, joint] = await Promise.all([
    rollupSums(db, range, prefixes, groupBy),
    jointFigures(db, range, prefixes),
  ]);
  const names = groupBy
    ? await dimensionNames(
        db,
        groupBy,
        groups.map((g) => g.key),
      )
    : new Map<string, string>();
  return {
    ...range,
    figures: deriveFigures(total, joint),
    groupBy: groupBy ?? null,
    groups: groups
      .map((g) => ({
        key: g.key,
        name: names.get(g.key) ?? (g.key || '—'),
        figures: deriveFigures(g.sums, null),
      }))
      .sort((a, b) => b.figures.received - a.figures.received || a.name.localeCompare(b.name)),
  };
}

// Every dashboard on a node asks for the same figures on the same change event (platform/coalesce.ts).
const figureReads = coalescerPerDatabase<z.output<typeof s.figuresResult>>();
const trendReads = coalescerPerDatabase<z.output<typeof s.trendResult>>();

export async function getFigures(db: Db, actorIn: Actor | null, q: z.output<typeof s.figuresQuery>) {
  const actor = requireWatcher(actorIn);
  const range = resolveRange(q);
  const prefixes = watchedPrefixes(actor);
  return figureReads(db).run(JSON.stringify([prefixes, range, q.groupBy]), () =>
    computeFigures(db, range, prefixes, q.groupBy),
  );
}

const truncUnit: Record<Granularity, string> = {
  day: 'day',
  week: 'week',
  month: 'month',
  quarter: 'quarter',
  year: 'year',
};

/** The figures per day/week/month/quarter/year inside a range. */
export async function computeTrend(
  db: Tx,
  range: { from: string; to: string },
  prefixes: string[] | null,
  granularity: Granularity,
): Promise<z.output<typeof s.trendResult>> {
  const unit = sql.lit(truncUnit[granularity]);
  const where = regionFilter(prefixes, 'region_code');
  // Months, quarters and years are whole months: the monthly rollup holds them (its rows carry the month's
  // first day, which date_trunc keeps in its month); days and weeks need the daily one.
  const rows = await sql<Record<string, unknown> & { period: string }>`
    SELECT to_char(date_trunc(${unit}, day::timestamp), 'YYYY-MM-DD') AS period, ${sumSelect}
    FROM ${
      granularity === 'day' || granularity === 'week'
        ? sql`sup_daily WHERE day BETWEEN ${range.from} AND ${range.to} AND ${where}`
        : sql`${rollupRows(range, where)} r`
    }
    GROUP BY 1 ORDER BY 1`.execute(db);
  return {
    ...range,
    granularity,
    points: rows.rows.map((r) => ({ period: r.period, figures: deriveFigures(toSums(r), null) })),
  };
}

export async function getTrend(db: Db, actorIn: Actor | null, q: z.output<typeof s.trendQuery>) {
  const actor = requireWatcher(actorIn);
  const range = resolveRange(q);
  const prefixes = watchedPrefixes(actor);
  return trendReads(db).run(JSON.stringify([prefixes, range, q.granularity]), () =>
    computeTrend(db, range, prefixes, q.granularity),
  );
}
