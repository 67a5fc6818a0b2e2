import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { countVersions, departmentIds, type FieldOut, validItem } from './test-helpers.js';

let t: TestApp;
let scjg: string;
beforeAll(async () => {
  t = await createTestApp({ catalog: { powers: 30, forms: false } });
  scjg = (await departmentIds(t)).市场监管;
});
afterAll(() => t.close());

/** Save an item that breaks one rule: a 400 naming the field, and not one row written. */
async function rejected(over: Record<string, unknown>, field: string, rule: string): Promise<FieldOut> {
  const admin = await t.as('hall_admin');
  const before = await countVersions(t);
  const res = await admin.post('/api/v1/catalog/items', validItem(scjg, over));
  expect(res.statusCode, res.body).toBe(400);
  const fields = res.json().error.details.fields as FieldOut[];
  const hit = fields.find((f) => f.field === field);
  expect(hit, JSON.stringify(fields)).toBeDefined();
  expect(hit?.rule).toBe(rule);
  expect(await countVersions(t)).toBe(before);
  return hit as FieldOut;
}

describe('quality rules on save', () => {
  it('a promised limit above the legal limit names promisedLimitDays', async () => {
    const f = await rejected(
      { legalLimitDays: 5, promisedLimitDays: 7 },
      'promisedLimitDays',
      'promisedWithinLegal',
    );
    expect(f.messages['zh-CN']).toContain('承诺时限不能超过法定时限(5 个工作日)');
    expect(f.messages['en-US']).toContain('must not exceed the legal limit');
  });

  it('an immediate item (即办件) promising 3 days names promisedLimitDays', async () => {
    const f = await rejected(
      { caseKind: 'immediate', promisedLimitDays: 3 },
      'promisedLimitDays',
      'immediateLimit',
    );
    expect(f.messages['zh-CN']).toContain('即办件');
  });

  it('a fully online item (depth IV) with a visit names visits', async () => {
    await rejected({ onlineDepth: 4, visits: 1 }, 'visits', 'fullyOnlineVisits');
  });

  it('zero visits, not online and no mail names handlingForms', async () => {
    await rejected({ onlineDepth: 1, visits: 0, handlingForms: ['window'] }, 'handlingForms', 'mailRequired');
  });

  it('a licensing item without 办结 and 送达 names steps and lists what is missing', async () => {
    const f = await rejected(
      { steps: [{ name: '受理' }, { name: '审批', role: 'approver' }] },
      'steps',
      'licensingSteps',
    );
    expect(f.messages['zh-CN']).toContain('办结、送达');
  });

  it('a material without a name is named by its index', async () => {
    await rejected({ materials: [{ name: '申请书' }, { name: '' }] }, 'materials.1.name', 'required');
  });

  it('two materials with the same name name the second one', async () => {
    await rejected(
      { materials: [{ name: '申请书' }, { name: '身份证' }, { name: '申请书' }] },
      'materials.2.name',
      'unique',
    );
  });

  it('容缺 on an essential material names materials.2.allowDeficiency', async () => {
    const materials = [
      { name: '申请书' },
      { name: '身份证' },
      { name: '关键证明', essential: true, allowDeficiency: true },
    ];
    const f = await rejected({ materials }, 'materials.2.allowDeficiency', 'deficiencyEssential');
    expect(f.messages['zh-CN']).toBe('关键材料不能容缺');
  });

  it('a conditional material needs its condition', async () => {
    await rejected(
      { materials: [{ name: '委托书', requirement: 'conditional' }] },
      'materials.0.condition',
      'conditionRequired',
    );
  });

  it('a fee that is not in the fee list names fees.0.feeCode', async () => {
    const f = await rejected({ fees: [{ feeCode: 'SF999' }] }, 'fees.0.feeCode', 'feeExists');
    expect(f.messages['zh-CN']).toContain('SF999');
  });

  it('a repealed fund cannot be charged any more', async () => {
    await rejected({ fees: [{ feeCode: 'JJ002' }] }, 'fees.0.feeCode', 'feeExists');
  });

  it('an implementation code already in use names code', async () => {
    const existing = (await (await t.as('hall_admin')).get('/api/v1/catalog/items?q=食品经营许可')).json()
      .items[0];
    await rejected({ code: existing.code }, 'code', 'unique');
  });

  it('every broken rule is listed at once', async () => {
    const admin = await t.as('hall_admin');
    const res = await admin.post(
      '/api/v1/catalog/items',
      validItem(scjg, {
        legalLimitDays: 1,
        promisedLimitDays: 2,
        onlineDepth: 4,
        visits: 2,
        fees: [{ feeCode: 'NOPE' }],
      }),
    );
    expect(res.statusCode).toBe(400);
    const fields = (res.json().error.details.fields as FieldOut[]).map((f) => `${f.field}:${f.rule}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'promisedLimitDays:promisedWithinLegal',
        'visits:fullyOnlineVisits',
        'fees.0.feeCode:feeExists',
      ]),
    );
  });

  it('an unknown field and a wrong enum are 400s naming the field', async () => {
    const admin = await t.as('hall_admin');
    const res = await admin.post(
      '/api/v1/catalog/items',
      validItem(scjg, { caseKind: 'soon', colour: 'red' }),
    );
    expect(res.statusCode).toBe(400);
    const fields = (res.json().error.details.fields as FieldOut[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['caseKind', 'colour']));
  });

  it('live validation reports the same problems without writing, and a good item saves', async () => {
    const admin = await t.as('hall_admin');
    const before = await countVersions(t);
    const check = await admin.post(
      '/api/v1/catalog/items/validate',
      validItem(scjg, { promisedLimitDays: 30 }),
    );
    expect(check.statusCode).toBe(200);
    expect(check.json().ok).toBe(false);
    expect(check.json().fields[0]).toMatchObject({ field: 'promisedLimitDays', rule: 'promisedWithinLegal' });
    expect(await countVersions(t)).toBe(before);
    const good = await admin.post('/api/v1/catalog/items/validate', validItem(scjg));
    expect(good.json()).toEqual({ ok: true, fields: [] });
    const saved = await admin.post('/api/v1/catalog/items', validItem(scjg));
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({
      seq: 1,
      action: 'create',
      status: 'published',
      inEffect: true,
      code: 'TEST-XK-0001',
    });
    expect(await countVersions(t)).toBe(before + 1);
  });

  it('only catalog administrators write: anonymous 401, a window clerk 403, a township admin 403', async () => {
    const before = await countVersions(t);
    expect(
      (await t.anonymous().post('/api/v1/catalog/items', validItem(scjg, { code: 'X-1' }))).statusCode,
    ).toBe(401);
    expect(
      (await (await t.as('clerk')).post('/api/v1/catalog/items', validItem(scjg, { code: 'X-2' })))
        .statusCode,
    ).toBe(403);
    // The township administrator keeps the township's records, not the district department's items.
    expect(
      (await (await t.as('township_admin')).post('/api/v1/catalog/items', validItem(scjg, { code: 'X-3' })))
        .statusCode,
    ).toBe(403);
    expect(await countVersions(t)).toBe(before);
  });

  it('a fee needs an amount or a rule', async () => {
    const admin = await t.as('hall_admin');
    const res = await admin.post('/api/v1/catalog/fees', { code: 'SF100', name: '测试费', reason: '测试' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({ field: 'standardFen', rule: 'feeStandard' });
  });
});
