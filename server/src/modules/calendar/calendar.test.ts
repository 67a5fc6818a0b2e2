import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('working-day calendar API', () => {
  it('shows the 2026 Spring Festival as holidays and the make-up Saturday as a working day', async () => {
    const c = await t.as('clerk');
    const res = await c.get('/api/v1/calendar/days?year=2026&regionCode=410103');
    expect(res.statusCode).toBe(200);
    const days = res.json().days as { date: string; kind: string; workday: boolean }[];
    expect(days).toHaveLength(365);
    expect(days.find((d) => d.date === '2026-02-17')).toMatchObject({ kind: 'holiday', workday: false });
    expect(days.find((d) => d.date === '2026-02-14')).toMatchObject({ kind: 'makeup', workday: true });
    expect(res.json().loaded).toBe(true);
  });

  it('computes a deadline across National Day 2026', async () => {
    const c = await t.as('clerk');
    const res = await c.get('/api/v1/calendar/compute?from=2026-09-30&days=3&regionCode=410103');
    expect(res.json()).toMatchObject({ due: '2026-10-10', provisional: false });
  });

  it('a district day off moves deadlines in its townships, and is removable', async () => {
    const admin = await t.as('hall_admin');
    const before = (
      await admin.get('/api/v1/calendar/compute?from=2026-11-23&days=1&regionCode=410103001')
    ).json();
    expect(before.due).toBe('2026-11-24');
    const created = await admin.post('/api/v1/calendar/overrides', {
      regionCode: '410103',
      date: '2026-11-24',
      workday: false,
      note: '区运动会',
    });
    expect(created.statusCode).toBe(201);
    const after = (
      await admin.get('/api/v1/calendar/compute?from=2026-11-23&days=1&regionCode=410103001')
    ).json();
    expect(after.due).toBe('2026-11-25');
    const dup = await admin.post('/api/v1/calendar/overrides', {
      regionCode: '410103',
      date: '2026-11-24',
      workday: false,
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.details.fields[0].field).toBe('date');
    expect((await admin.delete(`/api/v1/calendar/overrides/${created.json().id}`)).statusCode).toBe(204);
    expect(
      (await admin.get('/api/v1/calendar/compute?from=2026-11-23&days=1&regionCode=410103001')).json().due,
    ).toBe('2026-11-24');
  });

  it('a deadline in 2027 is provisional until an administrator loads the year', async () => {
    const admin = await t.as('hall_admin');
    expect((await admin.get('/api/v1/calendar/compute?from=2026-12-28&days=10')).json().provisional).toBe(
      true,
    );
    const loaded = await admin.post('/api/v1/calendar/years', {
      regionCode: '410103',
      year: 2027,
      note: '国务院办公厅 2027 年节假日通知',
    });
    expect(loaded.statusCode).toBe(201);
    expect((await admin.get('/api/v1/calendar/compute?from=2026-12-28&days=10')).json().provisional).toBe(
      false,
    );
  });

  it('a clerk cannot change the calendar; a bad date is a 400 on date', async () => {
    const clerk = await t.as('clerk');
    expect(
      (
        await clerk.post('/api/v1/calendar/overrides', {
          regionCode: '410103',
          date: '2026-12-01',
          workday: false,
        })
      ).statusCode,
    ).toBe(403);
    const admin = await t.as('hall_admin');
    const bad = await admin.post('/api/v1/calendar/overrides', {
      regionCode: '410103',
      date: '2026-02-30',
      workday: false,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0]).toMatchObject({ field: 'date', rule: 'date' });
  });
});
