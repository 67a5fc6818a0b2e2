import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { testEngine } from '../../test/db.js';
import { claimDirty, consumeAll, consumeDirty } from './consume.js';
import { computeFigures, computeTrend } from './figures.js';
import { type FixtureRefs, fixtureRefs, insertCase, sh } from './fixtures.js';

/**
 * Every figure of docs/metrics.md on the fixed data set worked out by hand there ("The test month").
 * November 2026 has no public holiday: working days are Monday to Friday.
 */
let t: TestApp;
let refs: FixtureRefs;
const NOW = sh('2026-11-20T12:00:00');
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ catalog: true });
  refs = await fixtureRefs(t.db);
  // The demo catalog's own rows must not leak into the figures: start from an empty queue and rollup.
  await consumeAll(t.db, { now: NOW });
  await sql`DELETE FROM sup_daily`.execute(t.db);
  await sql`DELETE FROM sup_case_figures`.execute(t.db);
  await sql`DELETE FROM sup_alerts`.execute(t.db);

  ids.A = await insertCase(t.db, refs, {
    status: 'delivered',
    channel: 'window',
    received_at: sh('2026-11-02T09:00:00'),
    accepted_on: '2026-11-02',
    promised_due: '2026-11-16',
    promised_due_at: sh('2026-11-16T23:59:59.999'),
    completed_at: sh('2026-11-06T10:00:00'),
    delivery_method: 'pickup',
  });
  ids.B = await insertCase(t.db, refs, {
    status: 'delivered',
    channel: 'online',
    received_at: sh('2026-11-03T09:00:00'),
    accepted_on: '2026-11-03',
    promised_due: '2026-11-17',
    promised_due_at: sh('2026-11-17T23:59:59.999'),
    completed_at: sh('2026-11-19T15:00:00'),
    delivery_method: 'download',
    correction_count: 2,
  });
  ids.C = await insertCase(t.db, refs, {
    status: 'completed',
    case_kind: 'immediate',
    promised_days: 0,
    legal_days: 5,
    received_at: sh('2026-11-04T10:00:00'),
    accepted_on: '2026-11-04',
    promised_due: '2026-11-04',
    promised_due_at: sh('2026-11-04T23:59:59.999'),
    completed_at: sh('2026-11-04T10:20:00'),
    completed_on_spot: true,
  });
  ids.D = await insertCase(t.db, refs, {
    status: 'accepted',
    channel: 'online',
    received_at: sh('2026-11-05T09:00:00'),
    accepted_on: '2026-11-05',
    promised_due: '2026-11-19',
    promised_due_at: sh('2026-11-19T23:59:59.999'),
    deficiency_pending: true,
  });
  ids.E = await insertCase(t.db, refs, { status: 'registered', received_at: sh('2026-11-06T09:00:00') });
  ids.F = await insertCase(t.db, refs, {
    status: 'submitted',
    channel: 'online',
    received_at: sh('2026-11-09T09:00:00'),
  });
  ids.G = await insertCase(t.db, refs, {
    status: 'refused',
    received_at: sh('2026-11-10T09:00:00'),
    correction_count: 1,
  });
  ids.H = await insertCase(t.db, refs, {
    status: 'delivered',
    channel: 'proxy',
    received_at: sh('2026-10-30T09:00:00'),
    accepted_on: '2026-10-30',
    promised_due: '2026-11-13',
    promised_due_at: sh('2026-11-13T23:59:59.999'),
    completed_at: sh('2026-11-05T16:00:00'),
    delivery_method: 'mail',
  });
  await consumeAll(t.db, { now: NOW });
});
afterAll(() => t.close());

const november = { from: '2026-11-01', to: '2026-11-30' };

describe('figures (docs/metrics.md, "The test month")', () => {
  it('stores working days taken per case when it completes', async () => {
    const rows = await t.db
      .selectFrom('sup_case_figures')
      .select(['case_id', 'days_taken', 'days_early', 'on_time', 'legal_days', 'promised_days'])
      .where('case_id', 'in', [ids.A, ids.B, ids.C, ids.H])
      .execute();
    const by = new Map(rows.map((r) => [r.case_id, r]));
    expect(by.get(ids.A)).toMatchObject({ days_taken: 4, days_early: 6, on_time: true, legal_days: 20 });
    expect(by.get(ids.B)).toMatchObject({ days_taken: 12, days_early: 0, on_time: false });
    expect(by.get(ids.C)).toMatchObject({
      days_taken: 0,
      days_early: 0,
      on_time: true,
      legal_days: 5,
      promised_days: 0,
    });
    expect(by.get(ids.H)).toMatchObject({ days_taken: 4, days_early: 6, on_time: true });
  });

  it('gives every figure of the month as worked out by hand', async () => {
    const r = await computeFigures(t.db, november, null);
    expect(r.figures).toEqual({
      received: 7,
      accepted: 4,
      completed: 4,
      pending: 3,
      onTimeCompleted: 3,
      onTimeRate: 75,
      immediateItemShare: 25,
      onSpotShare: 25,
      promisedSpeedup: 53.85,
      handlingSpeedup: 69.23,
      earlyDays: 12,
      averageDays: 5,
      onlineRate: 42.86,
      preReviewRate: 28.57,
      fullyOnlineRate: 25,
      correctionRate: 28.57,
      deficiencyShare: 25,
      jointCases: 0,
      jointDaysSaved: 0,
    });
  });

  it('splits by department and by day, week and year with the same definitions', async () => {
    const byDept = await computeFigures(t.db, november, null, 'department');
    expect(byDept.groups).toHaveLength(1);
    expect(byDept.groups[0].key).toBe(refs.departmentId);
    expect(byDept.groups[0].figures.completed).toBe(4);
    const days = await computeTrend(t.db, november, null, 'day');
    expect(days.points.find((p) => p.period === '2026-11-06')?.figures).toMatchObject({
      received: 1,
      completed: 1,
    });
    expect(days.points.find((p) => p.period === '2026-11-19')?.figures).toMatchObject({
      completed: 1,
      onTimeRate: 0,
    });
    const weeks = await computeTrend(t.db, november, null, 'week');
    expect(weeks.points.map((p) => [p.period, p.figures.received])).toEqual([
      ['2026-11-02', 5],
      ['2026-11-09', 2],
      ['2026-11-16', 0], // B completed that week
    ]);
    const year = await computeFigures(t.db, { from: '2026-01-01', to: '2026-12-31' }, null);
    // H was received and accepted in October: the year counts it, November does not.
    expect(year.figures).toMatchObject({ received: 8, accepted: 5, completed: 4 });
    const otherRegion = await computeFigures(t.db, november, ['4102']);
    expect(otherRegion.figures.received).toBe(0);
  });

  it('moves a case between figures when it changes, never counting it twice', async () => {
    // D completes on 2026-11-20, one day late: it leaves "pending" and joins the completed.
    await t.db
      .updateTable('cases')
      .set({ status: 'completed', completed_at: sh('2026-11-20T11:00:00') })
      .where('id', '=', ids.D)
      .execute();
    await t.db.updateTable('cases').set({ correction_count: 2 }).where('id', '=', ids.D).execute();
    await consumeAll(t.db, { now: NOW });
    const r = await computeFigures(t.db, november, null);
    expect(r.figures).toMatchObject({
      received: 7,
      pending: 2,
      completed: 5,
      onTimeCompleted: 3,
      correctionRate: 42.86,
    });
    // D: accepted 11-05, due 11-19, done 11-20 → 10 + 1 = 11 working days; (20 − 11) added to Σ(legal − taken).
    expect(r.figures.averageDays).toBe(6.2);
    expect(r.figures.deficiencyShare).toBe(25);
    await t.db
      .updateTable('cases')
      .set({ status: 'accepted', completed_at: null, correction_count: 0 })
      .where('id', '=', ids.D)
      .execute();
    await consumeAll(t.db, { now: NOW });
    expect((await computeFigures(t.db, november, null)).figures).toMatchObject({ pending: 3, completed: 4 });
  });

  it('raises the alerts the data shows, once', async () => {
    await consumeAll(t.db, { now: NOW });
    const alerts = await t.db.selectFrom('sup_alerts').select(['rule', 'case_id']).orderBy('rule').execute();
    expect(alerts.map((a) => [a.rule, a.case_id])).toEqual(
      expect.arrayContaining([
        ['overdue', ids.B],
        ['overdue', ids.D],
        ['repeated_correction', ids.B],
      ]),
    );
    expect(alerts.filter((a) => a.rule === 'overdue')).toHaveLength(2);
  });
});

describe('the queue of changed cases', () => {
  // PGlite has one connection: there an open transaction holds every other query anyway.
  it.skipIf(testEngine === 'pglite')(
    'a case moves on while a consumer counts its last change; the new change waits its turn, counted once',
    async () => {
      await consumeAll(t.db, { now: NOW });
      const before = (await computeFigures(t.db, november, null)).figures.received;
      const id = await insertCase(t.db, refs, {
        status: 'accepted',
        received_at: sh('2026-11-18T09:00:00'),
        accepted_on: '2026-11-18',
        promised_due: '2026-12-02',
        promised_due_at: sh('2026-12-02T23:59:59.999'),
      });
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      const claimed: string[][] = [];
      // A consumer has taken the case's change and is still counting it.
      const first = t.db.transaction().execute(async (trx) => {
        claimed.push(await claimDirty(trx, 1000));
        await held;
      });
      while (claimed.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(claimed[0]).toEqual([id]);
      // The case moves on meanwhile (an action's update fires the same trigger) without waiting for it.
      const moved = await Promise.race([
        t.db
          .updateTable('cases')
          .set({ status: 'approved' })
          .where('id', '=', id)
          .execute()
          .then(() => 'moved'),
        new Promise((r) => setTimeout(() => r('waited for the consumer'), 1500)),
      ]);
      expect(moved).toBe('moved');
      // A second consumer waits for the first to finish, then takes the new change: never both at once.
      const second = consumeDirty(t.db, { now: NOW });
      const early = await Promise.race([
        second.then(() => 'ran'),
        new Promise((r) => setTimeout(() => r('waits'), 300)),
      ]);
      expect(early).toBe('waits');
      release();
      await first;
      expect(await second).toBe(1);
      expect(await consumeDirty(t.db, { now: NOW })).toBe(0);
      // Counted twice (once per change), the month would have received it twice.
      expect((await computeFigures(t.db, november, null)).figures.received).toBe(before + 1);
    },
  );
});
