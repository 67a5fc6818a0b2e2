import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { generateCases } from '../cases/generate.js';
import { backfillSupervision } from './backfill.js';
import { counters } from './case-figures.js';
import { consumeAll } from './consume.js';
import { computeFigures, computeTrend, deriveFigures, emptySums } from './figures.js';
import { type FixtureRefs, fixtureRefs, insertCase, sh } from './fixtures.js';

/**
 * The set-based backfill gives the consumer's rows, row for row: per-case figures, both rollups and the
 * alerts, on a generated history (open, late, early, corrected cases over half a year, public holidays
 * included) plus hand-made cases that break each rule or carry a timeline fact the figures read.
 */
let t: TestApp;
let refs: FixtureRefs;
const NOW = sh('2026-11-20T12:00:00');

async function snapshot() {
  const figures = await t.db.selectFrom('sup_case_figures').selectAll().orderBy('case_id').execute();
  const daily = await sql<Record<string, unknown>>`SELECT * FROM sup_daily
    ORDER BY day, region_code, department_id, item_code, hall_id, window_id, staff_id`.execute(t.db);
  const monthly = await sql<Record<string, unknown>>`SELECT * FROM sup_monthly
    ORDER BY month, region_code, department_id, item_code, hall_id, window_id, staff_id`.execute(t.db);
  const alerts = await t.db
    .selectFrom('sup_alerts')
    .select([
      'rule',
      'dedupe_key',
      'severity',
      'status',
      'case_id',
      'case_number',
      'item_name',
      'region_code',
      'department_id',
      'staff_id',
      'evidence',
      'raised_at',
      'due_on',
    ])
    .orderBy('rule')
    .orderBy('dedupe_key')
    .execute();
  return { figures, daily: daily.rows, monthly: monthly.rows, alerts };
}

async function clearAndRequeue() {
  await sql`DELETE FROM sup_case_figures`.execute(t.db);
  await sql`DELETE FROM sup_daily`.execute(t.db);
  await sql`DELETE FROM sup_monthly`.execute(t.db);
  await sql`DELETE FROM sup_alerts`.execute(t.db);
  await sql`INSERT INTO sup_dirty (case_id) SELECT id FROM cases ON CONFLICT DO NOTHING`.execute(t.db);
}

beforeAll(async () => {
  t = await createTestApp({ catalog: true });
  refs = await fixtureRefs(t.db);
  await generateCases(t.db, { count: 1500, days: 180, until: NOW, seed: 6 });
  const primary = await t.db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', 'reviewer')
    .executeTakeFirstOrThrow();
  const clerk = await t.db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', 'clerk')
    .executeTakeFirstOrThrow();
  const accepted = {
    received_at: sh('2026-11-02T09:00:00'),
    accepted_on: '2026-11-02',
    promised_due: '2026-11-16',
    promised_due_at: sh('2026-11-16T23:59:59.999'),
  };
  // Off-system handling, and a register event whose data the rule finds within the threshold.
  await insertCase(t.db, refs, { status: 'registered', received_at: sh('2026-11-18T09:00:00') }, [
    { at: sh('2026-11-18T11:00:00'), data: JSON.stringify({ arrivedAt: '2026-11-18T09:00:00+08:00' }) },
  ]);
  await insertCase(t.db, refs, { status: 'registered', received_at: sh('2026-11-18T09:00:00') }, [
    { at: sh('2026-11-18T09:10:00'), data: JSON.stringify({ arrivedAt: '2026-11-18T09:00:00+08:00' }) },
  ]);
  // Refusal without basis; deemed approval and art. 32.
  await insertCase(t.db, refs, { status: 'refused', received_at: sh('2026-11-18T09:00:00') }, [
    {
      action: 'refuse',
      to_status: 'refused',
      reason: '材料不符',
      data: JSON.stringify({ legalBasis: null }),
    },
  ]);
  await insertCase(t.db, refs, { status: 'approved', ...accepted }, [
    { action: 'autoAccept', to_status: 'accepted', actor_type: 'system', reason: '第三十二条' },
    { action: 'deemApprove', to_status: 'approved', actor_type: 'system', reason: '超时默认' },
  ]);
  // 假办结, completed late, with a correction notice twice, extended by 3 days, by a clerk.
  await insertCase(
    t.db,
    refs,
    {
      status: 'completed',
      ...accepted,
      completed_at: sh('2026-11-18T09:00:00'),
      correction_count: 2,
      extended_days: 3,
      assignee_id: clerk.id,
    },
    [
      { action: 'requestCorrection', to_status: 'correcting', at: sh('2026-11-02T09:10:00') },
      { action: 'requestCorrection', to_status: 'correcting', at: sh('2026-11-02T09:20:00') },
      { action: 'issue', to_status: 'completed', data: JSON.stringify({ documents: [] }) },
    ],
  );
  // 容缺 at acceptance (the material since supplied), pre-reviewed online, on the spot.
  await insertCase(t.db, refs, { status: 'accepted', channel: 'online', ...accepted }, [
    { action: 'preReviewPass', to_status: 'submitted', at: sh('2026-11-02T08:00:00') },
    { action: 'accept', to_status: 'accepted', data: JSON.stringify({ deferred: ['营业执照'] }) },
  ]);
  await insertCase(t.db, refs, {
    status: 'completed',
    case_kind: 'immediate',
    promised_days: 0,
    received_at: sh('2026-11-04T10:00:00'),
    accepted_on: '2026-11-04',
    promised_due: '2026-11-04',
    promised_due_at: sh('2026-11-04T23:59:59.999'),
    completed_at: sh('2026-11-04T10:20:00'),
    completed_on_spot: true,
  });
  // A step past its own limit while the case is on time; a backup acting for a present primary.
  await insertCase(t.db, refs, {
    status: 'accepted',
    received_at: sh('2026-11-16T09:00:00'),
    accepted_on: '2026-11-16',
    promised_due: '2026-11-30',
    promised_due_at: sh('2026-11-30T23:59:59.999'),
    step_name: '审核',
    step_started_at: sh('2026-11-16T10:00:00'),
    step_due_at: sh('2026-11-18T23:59:59.999'),
  });
  await insertCase(t.db, refs, { status: 'accepted', received_at: sh('2026-11-18T09:00:00') }, [
    { action: 'pass', to_status: 'accepted', via_backup_of: primary.id, at: sh('2026-11-19T09:00:00') },
  ]);
  // A fee the fee list does not have.
  const feeCase = await insertCase(t.db, refs, {
    status: 'accepted',
    received_at: sh('2026-11-18T09:00:00'),
  });
  await t.db
    .insertInto('case_fees')
    .values({
      id: newId(),
      case_id: feeCase,
      region_code: refs.regionCode,
      fee_code: 'XX-NOT-LISTED',
      fee_name: '资料费',
      amount_fen: 2000,
    })
    .execute();
});
afterAll(() => t.close());

describe('the set-based backfill', () => {
  it('writes the rows the per-case consumer writes: figures, daily and monthly rollups, alerts', async () => {
    await consumeAll(t.db, { now: NOW });
    const consumed = await snapshot();
    expect(consumed.figures.length).toBeGreaterThan(1500);
    expect(consumed.figures.some((f) => f.days_taken > 0 && f.days_early > 0)).toBe(true);
    expect(consumed.figures.some((f) => f.deficiency)).toBe(true);
    expect(new Set(consumed.alerts.map((a) => a.rule)).size).toBeGreaterThanOrEqual(9);

    await clearAndRequeue();
    const result = await backfillSupervision(t.db, { now: NOW, chunk: 400 });
    const backfilled = await snapshot();
    expect(result.cases).toBe(consumed.figures.length);
    expect(result.alerts).toBe(consumed.alerts.length);
    expect(backfilled.figures).toEqual(consumed.figures);
    expect(backfilled.daily).toEqual(consumed.daily);
    expect(backfilled.monthly).toEqual(consumed.monthly);
    expect(backfilled.alerts).toEqual(consumed.alerts);
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM sup_dirty`.execute(t.db);
    expect(left.rows[0].n).toBe(0);
  });

  it('reads whole months from the monthly rollup and the ragged ends from the daily one, to the same sums', async () => {
    const fromDays = async (from: string, to: string) => {
      const r = await sql<Record<string, string>>`SELECT ${sql.join(
        counters.map((c) => sql`coalesce(sum(${sql.ref(c)}), 0)::bigint AS ${sql.ref(c)}`),
      )} FROM sup_daily WHERE day BETWEEN ${from} AND ${to}`.execute(t.db);
      const sums = emptySums();
      for (const c of counters) sums[c] = Number(r.rows[0][c]);
      return deriveFigures(sums, null);
    };
    const ranges = [
      { from: '2026-06-01', to: '2026-11-30' },
      { from: '2026-06-17', to: '2026-11-03' },
      { from: '2026-09-30', to: '2026-10-01' },
      { from: '2026-07-01', to: '2026-07-31' },
      { from: '2026-08-02', to: '2026-09-30' },
    ];
    for (const range of ranges) {
      const { figures } = await computeFigures(t.db, range, null);
      expect({ ...figures, jointCases: null, jointDaysSaved: null }, `${range.from}..${range.to}`).toEqual(
        await fromDays(range.from, range.to),
      );
    }
    const trend = await computeTrend(t.db, { from: '2026-06-17', to: '2026-11-03' }, null, 'month');
    expect(trend.points.map((p) => p.period)).toEqual([
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
    ]);
    expect(trend.points[0].figures).toEqual(await fromDays('2026-06-17', '2026-06-30'));
    expect(trend.points[5].figures).toEqual(await fromDays('2026-11-01', '2026-11-03'));
  });
});
