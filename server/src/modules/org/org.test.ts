import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUscc } from '../../db/seed/demo-org.js';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function count(table: 'windows' | 'departments' | 'regions' | 'halls') {
  const row = await t.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('organisation', () => {
  it('lists the demo structure: 3 townships, 6 villages, 25 departments, halls at every level', async () => {
    const admin = await t.as('sysadmin');
    expect((await admin.get('/api/v1/regions?level=township')).json().total).toBe(3);
    expect((await admin.get('/api/v1/regions?level=village')).json().total).toBe(6);
    expect((await admin.get('/api/v1/departments?pageSize=100')).json().total).toBe(25);
    const halls = (await admin.get('/api/v1/halls?pageSize=50')).json().items as { level: string }[];
    expect(new Set(halls.map((h) => h.level))).toEqual(
      new Set(['district_centre', 'sub_centre', 'township_centre', 'village_station']),
    );
  });

  it('creates a hall and windows; a duplicate window number is a 400 on number and writes nothing', async () => {
    const admin = await t.as('hall_admin');
    const hall = await admin.post('/api/v1/halls', {
      name: '二七区不动产登记分中心',
      level: 'sub_centre',
      regionCode: '410103',
    });
    expect(hall.statusCode).toBe(201);
    const hallId = hall.json().id;
    const w1 = await admin.post('/api/v1/windows', {
      hallId,
      number: 'A1',
      name: '综合受理',
      kind: 'comprehensive',
      categories: ['不动产'],
    });
    expect(w1.statusCode).toBe(201);
    const before = await count('windows');
    const dup = await admin.post('/api/v1/windows', {
      hallId,
      number: 'A1',
      name: '另一个',
      kind: 'comprehensive',
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.details.fields[0]).toMatchObject({ field: 'number', rule: 'unique' });
    expect(await count('windows')).toBe(before);
  });

  it('a departmental window needs a department', async () => {
    const admin = await t.as('hall_admin');
    const hall = (await admin.get('/api/v1/halls?q=政务服务中心')).json().items[0];
    const res = await admin.post('/api/v1/windows', {
      hallId: hall.id,
      number: '99',
      name: '部门窗口',
      kind: 'departmental',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe('departmentId');
  });

  it('an unknown region code is a 400 naming regionCode and writes nothing', async () => {
    const admin = await t.as('sysadmin');
    const before = await count('departments');
    const res = await admin.post('/api/v1/departments', {
      name: '不存在区某局',
      uscc: demoUscc(90),
      regionCode: '419999',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({ field: 'regionCode', rule: 'exists' });
    expect(await count('departments')).toBe(before);
  });

  it('missing fields are each named', async () => {
    const admin = await t.as('sysadmin');
    const res = await admin.post('/api/v1/departments', {});
    expect(res.statusCode).toBe(400);
    const fields = (res.json().error.details.fields as { field: string; rule: string }[]).map(
      (f) => `${f.field}:${f.rule}`,
    );
    expect(fields).toEqual(expect.arrayContaining(['name:required', 'uscc:required', 'regionCode:required']));
  });

  it('a region code must fit its level and parent', async () => {
    const admin = await t.as('sysadmin');
    const wrongLevel = await admin.post('/api/v1/regions', {
      code: '410103003',
      name: '新街道',
      level: 'village',
      parentCode: '410103',
    });
    expect(wrongLevel.statusCode).toBe(400);
    expect(wrongLevel.json().error.details.fields[0].field).toBe('level');
    const wrongParent = await admin.post('/api/v1/regions', {
      code: '410103003',
      name: '新街道',
      level: 'township',
      parentCode: '410100',
    });
    expect(wrongParent.statusCode).toBe(400);
    expect(wrongParent.json().error.details.fields[0]).toMatchObject({
      field: 'parentCode',
      rule: 'regionParent',
    });
    const right = await admin.post('/api/v1/regions', {
      code: '410103003',
      name: '新街道',
      level: 'township',
      parentCode: '410103',
    });
    expect(right.statusCode).toBe(201);
    const outside = await admin.post('/api/v1/regions', {
      code: '410104001',
      name: '外区街道',
      level: 'township',
      parentCode: '410103',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.details.fields[0].field).toBe('parentCode');
  });

  it("a township administrator cannot change the district's records or another township's", async () => {
    const township = await t.as('township_admin');
    const ok = await township.post('/api/v1/halls', {
      name: '兴华社区第二服务站',
      level: 'village_station',
      regionCode: '410103001001',
    });
    expect(ok.statusCode).toBe(201);
    const other = await township.post('/api/v1/halls', {
      name: '越权服务站',
      level: 'village_station',
      regionCode: '410103002001',
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('FORBIDDEN');
    const dept = (await township.get('/api/v1/departments?q=民政')).json().items[0];
    const patch = await township.patch(`/api/v1/departments/${dept.id}`, { shortName: '改名' });
    expect(patch.statusCode).toBe(403);
    const denied = await t.db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('action', '=', 'access.denied')
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });

  it('a window clerk cannot create organisation records', async () => {
    const clerk = await t.as('clerk');
    const res = await clerk.post('/api/v1/halls', {
      name: '窗口人员大厅',
      level: 'sub_centre',
      regionCode: '410103',
    });
    expect(res.statusCode).toBe(403);
  });

  it('a retried create with the same Idempotency-Key returns the first answer and creates one record', async () => {
    const admin = await t.as('hall_admin');
    const body = { name: '幂等测试大厅', level: 'sub_centre', regionCode: '410103' };
    const first = await admin.post('/api/v1/halls', body, { 'idempotency-key': 'k-123' });
    const second = await admin.post('/api/v1/halls', body, { 'idempotency-key': 'k-123' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    expect((await admin.get('/api/v1/halls?q=幂等测试大厅')).json().total).toBe(1);
  });
});

describe('public organisation data', () => {
  it('lists departments and halls without login (for the portal), but not staff', async () => {
    const anon = t.anonymous();
    expect((await anon.get('/api/v1/departments?pageSize=5')).json().total).toBe(25);
    expect((await anon.get('/api/v1/halls?pageSize=5')).statusCode).toBe(200);
    expect((await anon.get('/api/v1/staff')).statusCode).toBe(401);
  });
});
