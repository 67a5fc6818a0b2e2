import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setClockOffset } from '../../platform/clock.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { currentItemVersion, findItemVersion } from './service.js';
import { countVersions, departmentIds, validItem } from './test-helpers.js';

let t: TestApp;
let scjg: string;
beforeAll(async () => {
  t = await createTestApp({ catalog: { powers: 30, forms: false } });
  scjg = (await departmentIds(t)).市场监管;
});
afterAll(async () => {
  setClockOffset(0);
  await t.close();
});

const itemUrl = (code: string) => `/api/v1/catalog/items/${code}`;

describe('versions: 立改废释', () => {
  it('a draft is invisible to the public until it is published', async () => {
    const admin = await t.as('hall_admin');
    const created = await admin.post(
      '/api/v1/catalog/items',
      validItem(scjg, { code: 'V-DRAFT-1', name: '草稿测试许可', publish: false }),
    );
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ status: 'draft', inEffect: false, publishedAt: null });
    const anon = t.anonymous();
    expect((await anon.get(itemUrl('V-DRAFT-1'))).statusCode).toBe(404);
    expect((await anon.get(`/api/v1/catalog/versions/${created.json().id}`)).statusCode).toBe(404);
    expect((await anon.get('/api/v1/catalog/search?q=草稿测试许可')).json().total).toBe(0);
    expect((await anon.get(`${itemUrl('V-DRAFT-1')}/versions`)).statusCode).toBe(404);
    // The administrator sees the draft as the newest version.
    expect((await admin.get(`${itemUrl('V-DRAFT-1')}?version=latest`)).json()).toMatchObject({
      status: 'draft',
      seq: 1,
    });
    expect((await anon.get(`${itemUrl('V-DRAFT-1')}?version=latest`)).statusCode).toBe(401);

    const published = await admin.post(`/api/v1/catalog/versions/${created.json().id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({
      status: 'published',
      inEffect: true,
      publishedBy: { name: '王管理' },
    });
    expect((await anon.get(itemUrl('V-DRAFT-1'))).json()).toMatchObject({ name: '草稿测试许可', seq: 1 });
    expect((await anon.get('/api/v1/catalog/search?q=草稿测试许可')).json().items[0].code).toBe('V-DRAFT-1');
    const again = await admin.post(`/api/v1/catalog/versions/${created.json().id}/publish`);
    expect(again.statusCode).toBe(409);
  });

  it('amending adds a version; the old one stays readable; the diff lists the changed fields', async () => {
    const admin = await t.as('hall_admin');
    const v1 = (
      await admin.post('/api/v1/catalog/items', validItem(scjg, { code: 'V-AMEND-1', name: '修改测试许可' }))
    ).json();
    const next = validItem(scjg, {
      name: '修改测试许可',
      promisedLimitDays: 3,
      reason: '压缩时限',
      publish: false,
      code: undefined,
    });
    const materials = next.materials as Record<string, unknown>[];
    materials[2] = { ...materials[2], copies: 2 };
    const amended = await admin.post(`${itemUrl('V-AMEND-1')}/versions`, {
      ...next,
      code: undefined,
      baseVersionId: v1.id,
    });
    expect(amended.statusCode, amended.body).toBe(201);
    const v2 = amended.json();
    expect(v2).toMatchObject({
      seq: 2,
      action: 'amend',
      status: 'draft',
      reason: '压缩时限',
      author: { name: '王管理' },
    });

    // Until v2 is published the public still reads v1.
    const anon = t.anonymous();
    expect((await anon.get(itemUrl('V-AMEND-1'))).json()).toMatchObject({
      id: v1.id,
      data: { promisedLimitDays: 7 },
    });
    await admin.post(`/api/v1/catalog/versions/${v2.id}/publish`);
    const current = (await anon.get(itemUrl('V-AMEND-1'))).json();
    expect(current).toMatchObject({ id: v2.id, seq: 2, data: { promisedLimitDays: 3 } });

    // v1 is superseded but a case filed under it can still read it.
    const old = (await anon.get(`/api/v1/catalog/versions/${v1.id}`)).json();
    expect(old).toMatchObject({ seq: 1, inEffect: false, data: { promisedLimitDays: 7 } });
    expect(old.effectiveUntil).toBe(v2.effectiveFrom);

    const history = (await anon.get(`${itemUrl('V-AMEND-1')}/versions`)).json().items;
    expect(history.map((h: { seq: number }) => h.seq)).toEqual([2, 1]);

    const diff = (await anon.get(`/api/v1/catalog/versions/${v2.id}/diff`)).json();
    expect(diff.from.id).toBe(v1.id);
    expect(diff.changes).toEqual(
      expect.arrayContaining([
        { path: 'promisedLimitDays', change: 'changed', before: 7, after: 3 },
        { path: 'materials.2.copies', change: 'changed', before: 1, after: 2 },
      ]),
    );
    expect(diff.changes).toHaveLength(2);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('target_id', '=', 'V-AMEND-1')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['catalog.create', 'catalog.amend', 'catalog.publish']);
  });

  it('an edit built on an old version is a 409 and writes nothing', async () => {
    const admin = await t.as('hall_admin');
    const v1 = (await admin.post('/api/v1/catalog/items', validItem(scjg, { code: 'V-RACE-1' }))).json();
    const body = { ...validItem(scjg, { reason: '甲的修改' }), code: undefined };
    expect(
      (await admin.post(`${itemUrl('V-RACE-1')}/versions`, { ...body, baseVersionId: v1.id })).statusCode,
    ).toBe(201);
    const before = await countVersions(t);
    const stale = await admin.post(`${itemUrl('V-RACE-1')}/versions`, {
      ...body,
      reason: '乙的修改',
      baseVersionId: v1.id,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
    expect(await countVersions(t)).toBe(before);
  });

  it('repeal (废): gone from the public lists and search, still readable in history', async () => {
    const admin = await t.as('hall_admin');
    const v1 = (
      await admin.post('/api/v1/catalog/items', validItem(scjg, { code: 'V-REPEAL-1', name: '废止测试许可' }))
    ).json();
    const repeal = await admin.post(`${itemUrl('V-REPEAL-1')}/repeal`, {
      reason: '依据国务院决定取消',
      publish: true,
    });
    expect(repeal.statusCode, repeal.body).toBe(201);
    expect(repeal.json()).toMatchObject({
      seq: 2,
      action: 'repeal',
      status: 'published',
      data: { name: '废止测试许可' },
    });
    const anon = t.anonymous();
    expect((await anon.get(itemUrl('V-REPEAL-1'))).statusCode).toBe(404);
    expect((await anon.get('/api/v1/catalog/search?q=废止测试许可')).json().total).toBe(0);
    expect((await anon.get('/api/v1/catalog/items?q=废止测试许可')).json().total).toBe(0);
    expect((await anon.get(`/api/v1/catalog/versions/${v1.id}`)).json()).toMatchObject({
      name: '废止测试许可',
      inEffect: false,
    });
    const history = (await anon.get(`${itemUrl('V-REPEAL-1')}/versions`)).json().items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['repeal', 'create']);
    // Nothing is left to repeal.
    expect((await admin.post(`${itemUrl('V-REPEAL-1')}/repeal`, { reason: '再次' })).statusCode).toBe(409);
  });

  it('a fee still charged by an item in effect cannot be repealed', async () => {
    const admin = await t.as('hall_admin');
    const res = await admin.post('/api/v1/catalog/fees/SF004/repeal', { reason: '取消收费', publish: true });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({ field: 'code', rule: 'inUse' });
    expect(res.json().error.details.fields[0].messages['zh-CN']).toContain('居民身份证申领');
    expect((await t.anonymous().get('/api/v1/catalog/fees/SF004')).statusCode).toBe(200);
  });

  it('a version published for a later date takes effect on that date', async () => {
    const admin = await t.as('hall_admin');
    const v1 = (
      await admin.post(
        '/api/v1/catalog/items',
        validItem(scjg, { code: 'V-LATER-1', name: '延期生效测试许可' }),
      )
    ).json();
    const later = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
    const v2 = (
      await admin.post(`${itemUrl('V-LATER-1')}/versions`, {
        ...validItem(scjg, {
          name: '延期生效测试许可(新)',
          promisedLimitDays: 5,
          reason: '下月起压缩时限',
          effectiveFrom: later,
          publish: true,
        }),
        code: undefined,
      })
    ).json();
    expect(v2).toMatchObject({ status: 'published', inEffect: false, effectiveFrom: later });
    expect((await t.anonymous().get(itemUrl('V-LATER-1'))).json().id).toBe(v1.id);
    expect((await currentItemVersion(t.db, 'V-LATER-1'))?.versionId).toBe(v1.id);
    const found = async () =>
      (await t.anonymous().get('/api/v1/catalog/search?q=延期生效测试')).json().items[0];
    expect(await found()).toMatchObject({ name: '延期生效测试许可', versionId: v1.id, promisedLimitDays: 7 });
    setClockOffset(11 * 86400_000);
    try {
      expect((await t.anonymous().get(itemUrl('V-LATER-1'))).json().id).toBe(v2.id);
      expect((await currentItemVersion(t.db, 'V-LATER-1'))?.data.promisedLimitDays).toBe(5);
      // Search and lists switch to the new version on its date, with no write on that day.
      expect(await found()).toMatchObject({
        name: '延期生效测试许可(新)',
        versionId: v2.id,
        promisedLimitDays: 5,
      });
    } finally {
      setClockOffset(0);
    }
    expect(await found()).toMatchObject({ versionId: v1.id });
    // A later version cannot take effect before the one it replaces.
    const early = await admin.post(`${itemUrl('V-LATER-1')}/versions`, {
      ...validItem(scjg, { reason: '倒签', effectiveFrom: '2020-01-01', publish: true }),
      code: undefined,
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details.fields[0]).toMatchObject({
      field: 'effectiveFrom',
      rule: 'effectiveOrder',
    });
  });

  it('case handling finds the version in effect and any version by id', async () => {
    const food = await currentItemVersion(
      t.db,
      (await t.anonymous().get('/api/v1/catalog/search?q=食品经营许可')).json().items[0].code,
    );
    expect(food).toMatchObject({ name: '食品经营许可', status: 'published', inEffect: true, seq: 2 });
    expect(food?.data.promisedLimitDays).toBe(7);
    const first = (await t.anonymous().get(`/api/v1/catalog/items/${food?.code}/versions`)).json().items[1];
    const v1 = await findItemVersion(t.db, first.id);
    expect(v1).toMatchObject({ seq: 1, inEffect: false });
    expect(v1?.data.promisedLimitDays).toBe(10);
    expect(await findItemVersion(t.db, '00000000-0000-7000-8000-000000000000')).toBeUndefined();
  });

  it('the demo company registration has a draft the public does not see', async () => {
    const hit = (await t.anonymous().get('/api/v1/catalog/search?q=公司设立登记')).json().items[0];
    const history = (await t.anonymous().get(`/api/v1/catalog/items/${hit.code}/versions`)).json().items;
    expect(history).toHaveLength(1);
    const adminHistory = (
      await (await t.as('sysadmin')).get(`/api/v1/catalog/items/${hit.code}/versions`)
    ).json().items;
    expect(adminHistory.map((h: { status: string }) => h.status)).toEqual(['draft', 'published']);
  });
});
