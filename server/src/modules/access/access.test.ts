import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function departmentId(name: string): Promise<string> {
  const row = await t.db
    .selectFrom('departments')
    .select('id')
    .where('short_name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}
async function staffId(username: string): Promise<string> {
  const row = await t.db
    .selectFrom('staff')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('staff and department isolation', () => {
  it("a clerk of department A sees A's staff but neither lists nor opens department B's", async () => {
    const admin = await t.as('hall_admin');
    const zj = await departmentId('住建');
    const created = await admin.post('/api/v1/staff', {
      username: 'zj_reviewer',
      displayName: '住建审核员',
      password: 'Reviewer2026',
      mobile: '13698765432',
      departmentId: zj,
      regionCode: '410103',
      roles: [{ role: 'reviewer' }],
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().mobile).toBe('136****5432');
    expect(created.json().roles[0]).toMatchObject({ role: 'reviewer', departmentId: zj });

    const clerk = await t.as('clerk'); // 市场监管
    const list = await clerk.get('/api/v1/staff?pageSize=100');
    expect(list.statusCode).toBe(200);
    const names = (list.json().items as { username: string }[]).map((s) => s.username);
    expect(names).toContain('reviewer');
    expect(names).not.toContain('zj_reviewer');
    const open = await clerk.get(`/api/v1/staff/${created.json().id}`);
    expect(open.statusCode).toBe(403);
    expect(open.json().error.code).toBe('FORBIDDEN');
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['actor_name', 'target_id'])
      .where('action', '=', 'access.denied')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.actor_name).toBe('李窗口');
    expect(audit.target_id).toBe('GET /api/v1/staff/:id');

    const zjClerk = await t.as('clerk_zj');
    expect((await zjClerk.get(`/api/v1/staff/${created.json().id}`)).statusCode).toBe(200);
  });

  it('only a system administrator grants sys_admin', async () => {
    const admin = await t.as('hall_admin');
    const res = await admin.post('/api/v1/staff', {
      username: 'sneaky',
      displayName: '越权',
      password: 'Sneaky2026',
      regionCode: '410103',
      roles: [{ role: 'sys_admin' }],
    });
    expect(res.statusCode).toBe(403);
    expect(
      await t.db.selectFrom('staff').select('id').where('username', '=', 'sneaky').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('a department role without a department is a 400 naming roles.0.departmentId', async () => {
    const admin = await t.as('hall_admin');
    const res = await admin.post('/api/v1/staff', {
      username: 'nodept',
      displayName: '无部门',
      password: 'Nodept2026',
      regionCode: '410103',
      roles: [{ role: 'window_clerk' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe('roles.0.departmentId');
  });

  it('a duplicate username is a 400 on username', async () => {
    const admin = await t.as('hall_admin');
    const res = await admin.post('/api/v1/staff', {
      username: 'clerk',
      displayName: '重名',
      password: 'Dup2026dup',
      regionCode: '410103',
      roles: [{ role: 'supervisor' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({ field: 'username', rule: 'unique' });
  });
});

describe('authorisation letters (授权书) and AB posts', () => {
  it('a valid letter allows its actions on its items only, within its dates', async () => {
    const admin = await t.as('hall_admin');
    const wj = await departmentId('卫健');
    const holder = await staffId('clerk_zj');
    const letter = await admin.post('/api/v1/authorizations', {
      departmentId: wj,
      staffId: holder,
      actions: ['accept'],
      scope: 'items',
      itemCodes: ['WJ-001'],
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
    });
    expect(letter.statusCode).toBe(201);
    expect(letter.json()).toMatchObject({ scope: 'items', itemCodes: ['WJ-001'] });

    const check = (body: object) =>
      admin.post('/api/v1/authorizations/check', { staffId: holder, departmentId: wj, ...body });
    expect((await check({ action: 'accept', itemCode: 'WJ-001', on: '2026-06-01' })).statusCode).toBe(200);
    const otherItem = await check({ action: 'accept', itemCode: 'WJ-002', on: '2026-06-01' });
    expect(otherItem.statusCode).toBe(403);
    expect(otherItem.json().error.code).toBe('AUTH_LETTER_REQUIRED');
    expect(otherItem.json().error.messages['zh-CN']).toContain('WJ-002');
    expect((await check({ action: 'approve', itemCode: 'WJ-001', on: '2026-06-01' })).statusCode).toBe(403);
    expect((await check({ action: 'accept', itemCode: 'WJ-001', on: '2027-01-02' })).statusCode).toBe(403);

    const revoked = await admin.post(`/api/v1/authorizations/${letter.json().id}/revoke`, { reason: '调岗' });
    expect(revoked.json().status).toBe('revoked');
    expect((await check({ action: 'accept', itemCode: 'WJ-001', on: '2026-06-01' })).statusCode).toBe(403);
  });

  it('validUntil before validFrom and an empty item list are 400s naming the field', async () => {
    const admin = await t.as('hall_admin');
    const base = {
      departmentId: await departmentId('卫健'),
      staffId: await staffId('clerk_zj'),
      actions: ['review'],
    };
    const dates = await admin.post('/api/v1/authorizations', {
      ...base,
      scope: 'all',
      validFrom: '2026-05-01',
      validUntil: '2026-04-01',
    });
    expect(dates.json().error.details.fields[0].field).toBe('validUntil');
    const items = await admin.post('/api/v1/authorizations', {
      ...base,
      scope: 'items',
      itemCodes: [],
      validFrom: '2026-05-01',
    });
    expect(items.json().error.details.fields[0].field).toBe('itemCodes');
  });

  it('a backup acts only while the primary is marked absent, and the audit says for whom', async () => {
    const admin = await t.as('hall_admin');
    const scjg = await departmentId('市场监管');
    const backup = await staffId('reviewer_b');
    const primary = await staffId('reviewer');
    const check = () =>
      admin.post('/api/v1/authorizations/check', {
        staffId: backup,
        departmentId: scjg,
        action: 'review',
        itemCode: 'SC-001',
      });
    expect((await check()).statusCode).toBe(403);

    const absent = await admin.post(`/api/v1/staff/${primary}/absence`, { absent: true, note: '年休假' });
    expect(absent.json().absent).toBe(true);
    const ok = await check();
    expect(ok.statusCode).toBe(200);
    expect(ok.json().viaBackupOf).toBe(primary);
    const row = await t.db
      .selectFrom('audit_log')
      .select(['via_backup_of'])
      .where('action', '=', 'letter.check')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row.via_backup_of).toBe(primary);

    await admin.post(`/api/v1/staff/${primary}/absence`, { absent: false });
    expect((await check()).statusCode).toBe(403);
  });

  it('an AB post needs two people of the department', async () => {
    const admin = await t.as('hall_admin');
    const res = await admin.post('/api/v1/ab-posts', {
      departmentId: await departmentId('市场监管'),
      primaryStaffId: await staffId('reviewer'),
      backupStaffId: await staffId('clerk_zj'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({
      field: 'backupStaffId',
      rule: 'sameDepartment',
    });
  });
});

describe('department API tokens', () => {
  it("a token reads its own department's staff, not another's, and stops working when revoked", async () => {
    const admin = await t.as('hall_admin');
    const scjg = await departmentId('市场监管');
    const created = await admin.post('/api/v1/api-tokens', { name: '市场监管业务系统', departmentId: scjg });
    expect(created.statusCode).toBe(201);
    const token = created.json().token as string;
    expect(token.startsWith('tbk_')).toBe(true);
    const bearer = { authorization: `Bearer ${token}` };
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/v1/staff?departmentId=${scjg}`,
      headers: bearer,
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().total).toBeGreaterThanOrEqual(3);
    const zjStaff = await staffId('clerk_zj');
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/staff/${zjStaff}`, headers: bearer })).statusCode,
    ).toBe(403);
    // The token is not stored in clear.
    const stored = await t.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', created.json().id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token.slice(4));
    await admin.post(`/api/v1/api-tokens/${created.json().id}/revoke`);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/staff', headers: bearer })).statusCode).toBe(
      401,
    );
  });
});
