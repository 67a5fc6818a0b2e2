import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { now as platformNow } from '../../platform/clock.js';
import type { Tx } from '../../platform/tx.js';
import { calendarFor } from '../calendar/service.js';
import { pendingStatuses } from './case-figures.js';
import { claimDirty, evaluateAlerts } from './consume.js';
import { rebuildRollups } from './rollups.js';

/**
 * The set-based backfill: what `consumeAll` does case by case, done in SQL for a large queue (a history of a
 * million cases loaded at once). Per chunk of queued cases, in one transaction: the chunk is taken off
 * `sup_dirty` (as the consumer takes it, so a case changed afterwards is queued again), its figures are
 * computed by one INSERT … SELECT, and the cases a cheap SQL filter finds could break a rule go through the
 * consumer's own rule code. Then the daily and monthly rollups are rebuilt by GROUP BY from every case's
 * figures. The rows are the consumer's, row for row (backfill.test.ts); working days are counted here, once
 * per case, from a working-day number per region and day (the calendar's count between two dates is the
 * difference of the numbers), never at read time.
 *
 * Until the rebuild at the end the rollups lag the figures; a backfill stopped half-way is finished by
 * running it again (the rebuild runs even when the queue is empty).
 */
export async function backfillSupervision(
  db: Db,
  opts: { chunk?: number; now?: Date; onProgress?: (done: number) => void } = {},
): Promise<{ cases: number; alerts: number }> {
  const chunk = opts.chunk ?? 50_000;
  const at = opts.now ?? platformNow();
  let cases = 0;
  let alerts = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const ids = await claimDirty(trx, chunk);
      if (ids.length === 0) return null;
      await writeFigures(trx, ids, at);
      const raised = await raiseChunkAlerts(trx, ids, at);
      return { n: ids.length, raised };
    });
    if (!done) break;
    cases += done.n;
    alerts += done.raised;
    opts.onProgress?.(cases);
  }
  await db.transaction().execute((trx) => rebuildRollups(trx));
  return { cases, alerts };
}

/** Per region, a number for every day of the range: how many working days up to and including it. */
async function workingDayNumbers(
  trx: Tx,
  ids: string[],
): Promise<{ regions: string[]; days: string[]; numbers: number[] }> {
  const ranges = await sql<{ region_code: string; lo: string; hi: string }>`
    SELECT region_code, min(least(promised_due, completed_on))::text AS lo,
      max(greatest(promised_due, completed_on))::text AS hi
    FROM (SELECT region_code, promised_due,
        ((completed_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS completed_on
      FROM cases
      WHERE id = ANY(${ids}::uuid[]) AND accepted_on IS NOT NULL AND promised_due IS NOT NULL
        AND completed_at IS NOT NULL) x
    GROUP BY region_code`.execute(trx);
  const out = { regions: [] as string[], days: [] as string[], numbers: [] as number[] };
  for (const r of ranges.rows) {
    const calendar = await calendarFor(trx, r.region_code);
    let n = 0;
    const last = Date.parse(`${r.hi}T00:00:00Z`);
    for (let d = Date.parse(`${r.lo}T00:00:00Z`); d <= last; d += 86_400_000) {
      const day = new Date(d).toISOString().slice(0, 10);
      if (calendar.isWorkingDay(day)) n += 1;
      out.regions.push(r.region_code);
      out.days.push(day);
      out.numbers.push(n);
    }
  }
  return out;
}

const pending = sql.join(pendingStatuses.map((s) => sql.lit(s)));

/** `caseFigures` (case-figures.ts) in SQL, for a chunk of cases, replacing their previous figures. */
async function writeFigures(trx: Tx, ids: string[], at: Date): Promise<void> {
  const w = await workingDayNumbers(trx, ids);
  await sql`
    INSERT INTO sup_case_figures (case_id, region_code, department_id, item_code, hall_id, window_id, staff_id,
      received_on, accepted_on, completed_on, pending, online, prereviewed, corrected, deficiency,
      immediate_item, on_spot, on_time, timed, fully_online, legal_days, promised_days, days_taken, days_early,
      updated_at)
    SELECT id, region_code, department_id, item_code, hall_id, window_id, staff_id,
      received_on, accepted_on, completed_on,
      received_on IS NOT NULL AND status IN (${pending}),
      online,
      online AND received_on IS NOT NULL AND (pre_reviewed OR status NOT IN ('submitted', 'withdrawn')),
      correction_count > 0,
      accepted_on IS NOT NULL AND (deferred OR deficiency_pending OR deficiency_due IS NOT NULL),
      completed_on IS NOT NULL AND case_kind = 'immediate',
      completed_on IS NOT NULL AND completed_on_spot,
      completed_on IS NOT NULL
        AND (completed_on_spot OR promised_due_at IS NULL OR completed_at <= promised_due_at),
      timed,
      completed_on IS NOT NULL AND online AND coalesce(delivery_method IN ('download', 'mail'), false),
      CASE WHEN timed THEN greatest(legal_days, promised_days) ELSE 0 END,
      CASE WHEN timed THEN promised_days ELSE 0 END,
      taken,
      CASE WHEN timed THEN greatest(0, promised_days - taken) ELSE 0 END,
      ${at}
    FROM (
      SELECT b.*,
        CASE WHEN b.timed THEN greatest(0, b.promised_days + b.extended_days - (wp.n - wc.n)) ELSE 0 END
          AS taken
      FROM (
        SELECT c.id, c.region_code, c.department_id, c.item_code,
          coalesce(c.hall_id::text, '') AS hall_id, coalesce(c.window_id::text, '') AS window_id,
          coalesce(c.assignee_id::text, c.registered_by::text, '') AS staff_id,
          ((c.received_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS received_on,
          c.accepted_on,
          ((c.completed_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS completed_on,
          c.status, c.case_kind, c.correction_count, c.deficiency_pending, c.deficiency_due,
          c.completed_on_spot, c.completed_at, c.promised_due, c.promised_due_at, c.promised_days,
          c.legal_days, c.extended_days, c.delivery_method,
          coalesce(c.channel = 'online', false) AS online,
          c.completed_at IS NOT NULL AND c.accepted_on IS NOT NULL AND c.promised_due IS NOT NULL AS timed,
          coalesce(ev.pre_reviewed, false) AS pre_reviewed,
          coalesce(CASE WHEN jsonb_typeof(ev.accept_data -> 'deferred') = 'array'
            THEN jsonb_array_length(ev.accept_data -> 'deferred') > 0 END, false) AS deferred
        FROM cases c
        LEFT JOIN (
          SELECT case_id,
            bool_or(action IN ('preReviewPass', 'preReviewReturn')) AS pre_reviewed,
            (array_agg(data ORDER BY at)
              FILTER (WHERE action IN ('accept', 'autoAccept', 'completeOnSpot')))[1] AS accept_data
          FROM case_events WHERE case_id = ANY(${ids}::uuid[]) GROUP BY case_id
        ) ev ON ev.case_id = c.id
        WHERE c.id = ANY(${ids}::uuid[])
      ) b
      LEFT JOIN unnest(${w.regions}::text[], ${w.days}::date[], ${w.numbers}::int[]) AS wp(region_code, day, n)
        ON wp.region_code = b.region_code AND wp.day = b.promised_due
      LEFT JOIN unnest(${w.regions}::text[], ${w.days}::date[], ${w.numbers}::int[]) AS wc(region_code, day, n)
        ON wc.region_code = b.region_code AND wc.day = b.completed_on
    ) x
    ON CONFLICT (case_id) DO UPDATE SET
      region_code = excluded.region_code, department_id = excluded.department_id,
      item_code = excluded.item_code, hall_id = excluded.hall_id, window_id = excluded.window_id,
      staff_id = excluded.staff_id, received_on = excluded.received_on, accepted_on = excluded.accepted_on,
      completed_on = excluded.completed_on, pending = excluded.pending, online = excluded.online,
      prereviewed = excluded.prereviewed, corrected = excluded.corrected, deficiency = excluded.deficiency,
      immediate_item = excluded.immediate_item, on_spot = excluded.on_spot, on_time = excluded.on_time,
      timed = excluded.timed, fully_online = excluded.fully_online, legal_days = excluded.legal_days,
      promised_days = excluded.promised_days, days_taken = excluded.days_taken,
      days_early = excluded.days_early, updated_at = excluded.updated_at`.execute(trx);
}

/**
 * A superset of the cases any rule of rules.ts can fire on, found in SQL; only those are read into the
 * rule code. Most of a history breaks no rule, so most cases never leave the database.
 */
async function raiseChunkAlerts(trx: Tx, ids: string[], at: Date): Promise<number> {
  const found = await sql<{ id: string }>`
    SELECT c.id FROM cases c
    LEFT JOIN (
      SELECT case_id,
        bool_or(via_backup_of IS NOT NULL
          OR action IN ('refuse', 'deny', 'deemApprove', 'autoAccept')
          OR (action IN ('register', 'issue', 'completeOnSpot') AND data IS NOT NULL)) AS flagged,
        count(*) FILTER (WHERE action = 'requestCorrection') AS corrections
      FROM case_events WHERE case_id = ANY(${ids}::uuid[]) GROUP BY case_id
    ) ev ON ev.case_id = c.id
    WHERE c.id = ANY(${ids}::uuid[]) AND (
      (c.promised_due_at IS NOT NULL AND (c.completed_at > c.promised_due_at
        OR (c.status IN ('accepted', 'approved', 'denied') AND c.promised_due_at < ${at})))
      OR (c.status = 'accepted' AND c.step_due_at < ${at} AND c.promised_due_at >= ${at})
      OR c.correction_count > 1
      OR coalesce(ev.flagged, false)
      OR coalesce(ev.corrections, 0) > 1
      OR EXISTS (SELECT 1 FROM case_fees f WHERE f.case_id = c.id))`.execute(trx);
  const candidates = found.rows.map((r) => r.id);
  let raised = 0;
  for (let i = 0; i < candidates.length; i += 2000)
    raised += await evaluateAlerts(trx, candidates.slice(i, i + 2000), at);
  return raised;
}
