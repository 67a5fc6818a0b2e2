import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { chainAudit, verifyAuditChain } from './audit.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('hash-chained audit log', () => {
  it('records every write with actor, role, target and before/after, and the chain verifies', async () => {
    const admin = await t.as('hall_admin');
    const hall = (await admin.get('/api/v1/halls?q=侯寨乡')).json().items[0];
    await admin.patch(`/api/v1/halls/${hall.id}`, { phone: '0371-12345678' });
    const rows = (await admin.get(`/api/v1/audit?targetType=hall&targetId=${hall.id}`)).json().items;
    expect(rows[0]).toMatchObject({ action: 'hall.update', actorName: '王管理', actorRole: 'hall_admin' });
    expect(rows[0].after).toMatchObject({ phone: '0371-12345678' });
    expect(rows[0].before).toMatchObject({ phone: expect.any(String) });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  it('reports the first altered row', async () => {
    const admin = await t.as('hall_admin');
    await admin.post('/api/v1/halls', { name: '审计测试大厅一', level: 'sub_centre', regionCode: '410103' });
    await admin.post('/api/v1/halls', { name: '审计测试大厅二', level: 'sub_centre', regionCode: '410103' });
    const target = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'hall.create')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    // The chainer links rows within seconds of their commit (a periodic job); here it runs now.
    await chainAudit(t.db);
    await sql`UPDATE audit_log SET reason = 'tampered' WHERE id = ${target.id}`.execute(t.db);
    const result = await verifyAuditChain(t.db);
    expect(result).toMatchObject({ ok: false, brokenAt: target.id, reason: 'hash' });
  });

  it('links rows written concurrently into one unbroken chain after commit', async () => {
    const admin = await t.as('hall_admin');
    await chainAudit(t.db);
    const writes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        admin.post('/api/v1/halls', { name: `并发审计大厅${i}`, level: 'sub_centre', regionCode: '410103' }),
      ),
    );
    expect(writes.map((w) => w.statusCode)).toEqual(Array(8).fill(201));
    const unlinked = await t.db.selectFrom('audit_log').select('id').where('chain_seq', 'is', null).execute();
    expect(unlinked.length).toBeGreaterThanOrEqual(8);
    expect(await chainAudit(t.db)).toBe(unlinked.length);
    const linked = await t.db
      .selectFrom('audit_log')
      .select(['chain_seq', 'prev_hash', 'hash'])
      .where('action', '=', 'hall.create')
      .where('target_type', '=', 'hall')
      .orderBy('chain_seq', 'desc')
      .limit(8)
      .execute();
    expect(linked.every((r) => r.hash?.length === 64)).toBe(true);
    expect(await chainAudit(t.db)).toBe(0);
  });

  it('is not readable by a window clerk', async () => {
    const clerk = await t.as('clerk');
    expect((await clerk.get('/api/v1/audit')).statusCode).toBe(403);
  });

  it('never stores passwords or full mobile numbers', async () => {
    const admin = await t.as('hall_admin');
    await admin.post('/api/v1/staff', {
      username: 'audit_probe',
      displayName: '审计探针',
      password: 'SecretPass99',
      mobile: '13512345678',
      regionCode: '410103',
      roles: [{ role: 'supervisor' }],
    });
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['after'])
      .where('action', '=', 'staff.create')
      .execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain('SecretPass99');
    expect(text).not.toContain('13512345678');
    expect(text).toContain('135****5678');
  });
});
