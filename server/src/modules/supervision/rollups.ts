import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Tx } from '../../platform/tx.js';
import { counters } from './case-figures.js';

/**
 * The rollups the figures are read from: `sup_daily` (per civil day) and `sup_monthly` (the same sums per
 * calendar month, keyed by the month's first day). The consumer adds every delta to both in one transaction;
 * the backfill rebuilds both from `sup_case_figures`. A range is read as its whole months from the monthly
 * rollup and its ragged ends from the daily one, so a year is twelve rows per key, not 365.
 */

const dims = ['region_code', 'department_id', 'item_code', 'hall_id', 'window_id', 'staff_id'] as const;
const dimList = sql.join(dims.map((d) => sql.ref(d)));
const counterList = sql.join(counters.map((c) => sql.ref(c)));

/** Rebuild both rollups from every case's figures (rows that would hold only zeros are not written). */
export async function rebuildRollups(trx: Tx): Promise<void> {
  // The consumer writes figures and rollups together; it waits here until the rebuild is in.
  await sql`LOCK TABLE sup_case_figures, sup_daily, sup_monthly IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
  await sql`DELETE FROM sup_daily`.execute(trx);
  await sql`DELETE FROM sup_monthly`.execute(trx);
  const z = sql`0`;
  const received = sql`SELECT received_on AS day, ${dimList}, 1 AS received, online::int AS received_online,
      prereviewed::int AS prereviewed, corrected::int AS corrected, pending::int AS pending,
      ${z} AS accepted, ${z} AS deficiency, ${z} AS completed, ${z} AS on_time, ${z} AS immediate_item,
      ${z} AS on_spot, ${z} AS fully_online, ${z} AS timed, ${z} AS legal_sum, ${z} AS promised_sum,
      ${z} AS taken_sum, ${z} AS early_sum
    FROM sup_case_figures WHERE received_on IS NOT NULL`;
  const accepted = sql`SELECT accepted_on, ${dimList}, 0, 0, 0, 0, 0, 1, deficiency::int,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM sup_case_figures WHERE accepted_on IS NOT NULL`;
  const completed = sql`SELECT completed_on, ${dimList}, 0, 0, 0, 0, 0, 0, 0,
      1, on_time::int, immediate_item::int, on_spot::int, fully_online::int, timed::int, legal_days,
      promised_days, days_taken, days_early
    FROM sup_case_figures WHERE completed_on IS NOT NULL`;
  const sums = sql.join(counters.map((c) => sql`sum(${sql.ref(c)})`));
  await sql`INSERT INTO sup_daily (day, ${dimList}, ${counterList})
    SELECT day, ${dimList}, ${sums}
    FROM (${received} UNION ALL ${accepted} UNION ALL ${completed}) x
    GROUP BY day, ${dimList}`.execute(trx);
  await sql`INSERT INTO sup_monthly (month, ${dimList}, ${counterList})
    SELECT date_trunc('month', day::timestamp)::date, ${dimList}, ${sums}
    FROM sup_daily GROUP BY 1, ${dimList}`.execute(trx);
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The rollup rows covering a range as one relation with a `day` column (a month's row carries the month's
 * first day): whole months from `sup_monthly`, the days before the first and after the last whole month from
 * `sup_daily`. `where` filters both (dimension columns only).
 */
export function rollupRows(
  range: { from: string; to: string },
  where: Expression<SqlBool>,
): RawBuilder<unknown> {
  const first = range.from.endsWith('-01')
    ? range.from
    : `${addDays(`${range.from.slice(0, 7)}-01`, 32).slice(0, 7)}-01`;
  // The first day of the month after `to` when `to` ends its month, else the first day of `to`'s month.
  const toMonth = `${range.to.slice(0, 7)}-01`;
  const nextOfTo = addDays(range.to, 1);
  const end = nextOfTo.endsWith('-01') ? nextOfTo : toMonth;
  const cols = sql`${dimList}, ${counterList}`;
  if (first >= end)
    return sql`(SELECT day, ${cols} FROM sup_daily
      WHERE day BETWEEN ${range.from} AND ${range.to} AND ${where})`;
  return sql`(SELECT month AS day, ${cols} FROM sup_monthly
      WHERE month >= ${first} AND month < ${end} AND ${where}
    UNION ALL
    SELECT day, ${cols} FROM sup_daily
      WHERE ((day >= ${range.from} AND day < ${first}) OR (day >= ${end} AND day <= ${range.to})) AND ${where})`;
}
