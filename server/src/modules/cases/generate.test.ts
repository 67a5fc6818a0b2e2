import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { civilDate } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { generateCases } from './generate.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ catalog: true });
});
afterAll(() => t.close());

describe('historical case generator', () => {
  it('a second load over the same days continues the numbers, and a registration today continues after both', async () => {
    const until = new Date();
    const seen: number[] = [];
    const first = await generateCases(t.db, { count: 400, days: 3, until, batch: 150, seed: 1 });
    const second = await generateCases(t.db, {
      count: 400,
      days: 3,
      until,
      batch: 1000,
      seed: 1,
      onBatch: async (trx, cases) => {
        // The hook runs in the batch's transaction: its rows are there, numbered.
        const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE id IN (${sql.join(
          cases.map((c) => c.id),
        )})`.execute(trx);
        seen.push(n.rows[0].n);
        expect(cases.every((c) => /^\d{6}-\d{8}-\d{5,}$/.test(c.number))).toBe(true);
      },
    });
    expect([first, second]).toEqual([400, 400]);
    expect(seen).toEqual([400]);
    const counts = await sql<{ total: number; numbers: number }>`
      SELECT count(*)::int AS total, count(DISTINCT number)::int AS numbers FROM cases`.execute(t.db);
    expect(counts.rows[0]).toEqual({ total: 800, numbers: 800 });
    // Every region-day's numbers run 1..N without a gap, and the counter stands at N.
    const gaps = await sql<{ region_code: string; day: string }>`
      SELECT c.region_code, k.day::text AS day
      FROM case_number_counters k
      JOIN cases c ON c.region_code = k.region_code
        AND c.number LIKE c.region_code || '-' || to_char(k.day, 'YYYYMMDD') || '-%'
      GROUP BY c.region_code, k.day, k.last
      HAVING count(*) <> k.last OR max(split_part(c.number, '-', 3)::int) <> k.last`.execute(t.db);
    expect(gaps.rows).toEqual([]);

    // A clerk registers a case today in a region the generator used today: the next number, no collision.
    const clerk = await t.as('clerk');
    const item = await t.db
      .selectFrom('catalog_versions')
      .select('code')
      .where('kind', '=', 'item')
      .where('name', '=', '食品经营许可变更')
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const res = await clerk.post('/api/v1/cases', {
      itemCode: item.code,
      channel: 'window',
      applicant: {
        kind: 'enterprise',
        name: '郑州二七测试食品商行',
        uscc: '91410103MA00000019',
        mobile: '13600000001',
      },
      form: { 变更事项: '经营场所', 变更后内容: '二七区大学路 1 号' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const number = (res.json() as { number: string }).number;
    const [region, day] = number.split('-');
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases
      WHERE number LIKE ${`${region}-${day}-%`}`.execute(t.db);
    expect(day).toBe(civilDate(new Date()).replaceAll('-', ''));
    expect(Number(number.split('-')[2])).toBe(before.rows[0].n);
  });

  it('writes the mix supervision reports on: completed, open, late, corrected and 容缺 cases', async () => {
    const mix = await sql<{
      completed: number;
      open: number;
      late: number;
      corrected: number;
      deficiency: number;
      corrections: number;
    }>`SELECT
        count(*) FILTER (WHERE status IN ('completed','delivered'))::int AS completed,
        count(*) FILTER (WHERE status IN ('accepted','suspended'))::int AS open,
        count(*) FILTER (WHERE completed_at > promised_due_at
          OR (status IN ('accepted','suspended') AND promised_due_at < now()))::int AS late,
        count(*) FILTER (WHERE correction_count > 0)::int AS corrected,
        count(*) FILTER (WHERE deficiency_pending)::int AS deficiency,
        (SELECT count(*)::int FROM case_events WHERE action = 'requestCorrection') AS corrections
      FROM cases`.execute(t.db);
    const m = mix.rows[0];
    expect(m.completed).toBeGreaterThan(0);
    expect(m.open).toBeGreaterThan(0);
    expect(m.corrected).toBeGreaterThan(0);
    expect(m.corrections).toBe(m.corrected);
    // Over three days few cases can be late or 容缺; a year's load has both (the benchmark's 10,000 check).
    const year = await generateCases(t.db, { count: 3000, days: 365, seed: 3 });
    expect(year).toBe(3000);
    const again = await sql<{ late: number; deficiency: number }>`SELECT
        count(*) FILTER (WHERE completed_at > promised_due_at)::int AS late,
        count(*) FILTER (WHERE deficiency_pending)::int AS deficiency FROM cases`.execute(t.db);
    expect(again.rows[0].late).toBeGreaterThan(0);
    expect(again.rows[0].deficiency).toBeGreaterThan(0);
  });
});
