import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoItems } from '../../db/seed/demo-catalog-data.js';
import { createTestApp, type TestApp } from '../../test/app.js';
import { searchLocaleWarning } from './search.js';
import { departmentIds } from './test-helpers.js';

let t: TestApp;
let depts: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ catalog: { powers: 1000 } });
  depts = await departmentIds(t);
});
afterAll(() => t.close());

type Hit = {
  name: string;
  code: string;
  departmentName: string;
  onlineDepth: number;
  caseKind: string;
  themes: string[];
  versionId: string;
};
const search = async (query: string): Promise<{ items: Hit[]; total: number }> => {
  const res = await t.anonymous().get(`/api/v1/catalog/search?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const q = (text: string) => `q=${encodeURIComponent(text)}`;
/** Published items of the demo seed: the expectations follow the seed data when items are added. */
const publicItems = demoItems.length;
const policeItems = demoItems.filter((i) => i.d === 'ga').length;

describe('public search (no login)', () => {
  it('"食品经营" finds 食品经营许可 first, before its change, renewal and cancellation', async () => {
    const r = await search(q('食品经营'));
    expect(r.items[0].name).toBe('食品经营许可');
    expect(r.items.map((i) => i.name)).toEqual(
      expect.arrayContaining(['食品经营许可变更', '食品经营许可延续', '食品经营许可注销']),
    );
    expect(r.items[0].departmentName).toBe('二七区市场监督管理局');
  });

  it('a typo ("食品经营许科") still ranks 食品经营许可 first', async () => {
    expect((await search(q('食品经营许科'))).items[0].name).toBe('食品经营许可');
  });

  it('a wrong character anywhere in the word still finds it first: 事品经营许可, 食品经应许可, 食品经营徐可', async () => {
    for (const typo of ['事品经营许可', '食品经应许可', '食品经营徐可']) {
      expect((await search(q(typo))).items[0]?.name, typo).toBe('食品经营许可');
    }
  });

  it('a partial word ("营业执") ranks the licence item first and finds the items that issue a licence', async () => {
    const r = await search(q('营业执'));
    expect(r.items[0].name).toBe('营业执照遗失补领');
    expect(r.items.map((i) => i.name)).toEqual(
      expect.arrayContaining(['公司设立登记', '个体工商户设立登记']),
    );
  });

  it('everyday words find the item by its keywords: 低保, 上户口, 公积金提取', async () => {
    expect((await search(q('低保'))).items[0].name).toBe('最低生活保障');
    expect((await search(q('上户口'))).items[0].name).toBe('出生登记');
    expect((await search(q('公积金提取'))).items[0].name).toBe('住房公积金提取');
  });

  it('searches department names and themes too', async () => {
    const byDept = await search(q('残疾人联合会'));
    expect(byDept.items.map((i) => i.name)).toEqual(expect.arrayContaining(['残疾人证核发']));
    const byTheme = await search(q('婚姻登记'));
    expect(byTheme.items.map((i) => i.name)).toEqual(expect.arrayContaining(['结婚登记', '离婚登记']));
  });

  it('filters by department, 即办, online depth, theme, level, type and service object', async () => {
    const ga = await search(`departmentId=${depts.公安}&pageSize=50`);
    expect(ga.total).toBe(policeItems);
    expect(new Set(ga.items.map((i) => i.departmentName))).toEqual(new Set(['郑州市公安局二七分局']));
    const immediate = await search('immediate=true&pageSize=100');
    expect(immediate.total).toBeGreaterThan(10);
    expect(immediate.items.every((i) => i.caseKind === 'immediate')).toBe(true);
    const online = await search('onlineDepth=4&pageSize=100');
    expect(online.items.every((i) => i.onlineDepth === 4)).toBe(true);
    const births = await search(`theme=${encodeURIComponent('生育收养')}&pageSize=50`);
    expect(births.items.map((i) => i.name)).toEqual(expect.arrayContaining(['出生登记', '再生育审批']));
    const village = await search(`level=village&${q('补贴')}`);
    expect(village.items.map((i) => i.name)).toContain('困难残疾人生活补贴和重度残疾人护理补贴');
    const licences = await search(`type=XK&departmentId=${depts.卫健}&pageSize=50`);
    expect(licences.items.map((i) => i.name)).not.toContain('再生育审批');
    const firms = await search(`serviceObject=enterprise&${q('结婚')}`);
    expect(firms.total).toBe(0);
  });

  it('pages through the results', async () => {
    const first = await search('pageSize=10&page=1');
    const second = await search('pageSize=10&page=2');
    expect(first.total).toBe(publicItems);
    expect(first.items).toHaveLength(10);
    expect(second.items.map((i) => i.code)).not.toContain(first.items[0].code);
    expect((await search('pageSize=10&page=99')).items).toHaveLength(0);
  });

  it('a bad filter is a 400 naming the field', async () => {
    const res = await t.anonymous().get('/api/v1/catalog/search?onlineDepth=7');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe('query.onlineDepth');
  });

  it('theme browsing counts items per life event and enterprise stage', async () => {
    const res = (await t.anonymous().get('/api/v1/catalog/themes')).json();
    const births = res.lifeEvents.find((x: { theme: string }) => x.theme === '生育收养');
    expect(births.count).toBeGreaterThanOrEqual(4);
    expect(res.enterpriseStages.map((x: { theme: string }) => x.theme)).toContain('准营准办');
  });
});

describe('public lists', () => {
  it('the power list filters by type, department and words', async () => {
    const anon = t.anonymous();
    const all = (await anon.get('/api/v1/catalog/powers?pageSize=5')).json();
    expect(all.total).toBe(1000);
    const cf = (
      await anon.get(`/api/v1/catalog/powers?type=CF&departmentId=${depts.市场监管}&pageSize=200`)
    ).json();
    expect(cf.total).toBeGreaterThan(0);
    expect(
      cf.items.every(
        (p: { type: string; departmentName: string }) =>
          p.type === 'CF' && p.departmentName === '二七区市场监督管理局',
      ),
    ).toBe(true);
    const words = (await anon.get(`/api/v1/catalog/powers?q=${encodeURIComponent('食品经营者')}`)).json();
    expect(words.items[0].name).toContain('食品经营者');
  });

  it('the fee list shows 21 fees with their standard in fen; repealed funds are gone from the list', async () => {
    const anon = t.anonymous();
    const fees = (await anon.get('/api/v1/catalog/fees?pageSize=50')).json();
    expect(fees.total).toBe(21);
    expect(fees.items.find((f: { code: string }) => f.code === 'SF001').data).toMatchObject({
      name: '不动产登记费(住宅)',
      standardFen: 8000,
      unit: '件',
    });
    const funds = (await anon.get('/api/v1/catalog/funds')).json();
    expect(funds.total).toBe(3);
    const repealed = (await anon.get('/api/v1/catalog/funds/JJ002/versions')).json().items;
    expect(repealed[0]).toMatchObject({ action: 'repeal', status: 'published' });
  });

  it('the permission and supervision lists are found by item', async () => {
    const anon = t.anonymous();
    const food = (await search(q('食品经营许可'))).items[0];
    const permission = (await anon.get(`/api/v1/catalog/permission-list?itemCode=${food.code}`)).json();
    expect(permission.items[0].data.conditions.length).toBeGreaterThan(2);
    const negative = (await anon.get('/api/v1/catalog/negative-list?type=prohibited')).json();
    expect(
      negative.items.every((n: { data: { category: string } }) => n.data.category === 'prohibited'),
    ).toBe(true);
  });

  it('exports a list as .xlsx and as CSV', async () => {
    const anon = t.anonymous();
    const xlsx = await anon.get('/api/v1/catalog/fees/export');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const csv = await anon.get('/api/v1/catalog/fees/export?format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('收费项目');
    expect(lines).toHaveLength(22);
    expect(lines.find((l) => l.startsWith('SF004'))).toContain('居民身份证工本费');
  });
});

describe('item guide (办事指南)', () => {
  it('gives everything in one answer: limits, materials with forms, fees, flowchart, place', async () => {
    const food = (await search(q('食品经营许可'))).items[0];
    const res = await t.anonymous().get(`/api/v1/catalog/items/${food.code}/guide`);
    expect(res.statusCode, res.body).toBe(200);
    const g = res.json();
    expect(g).toMatchObject({
      name: '食品经营许可',
      versionId: food.versionId,
      department: { name: '二七区市场监督管理局' },
      type: { code: 'XK', label: '行政许可' },
      timeLimits: {
        legalDays: 20,
        promisedDays: 7,
        savedDays: 13,
        caseKind: { key: 'promised', label: '承诺件' },
      },
      handling: { onlineDepth: 4, visits: 0 },
      fees: { free: true },
      apply: { online: true, versionId: food.versionId },
    });
    expect(g.handling.place).toContain('10 号窗口');
    expect(g.standardConditions.length).toBeGreaterThan(0);
    expect(g.supervision).toContain('“双随机、一公开”监督检查');
    const essential = g.materials.find((m: { essential: boolean }) => m.essential);
    expect(essential).toBeDefined();
    const electronic = g.materials.find((m: { source: string }) => m.source === 'e_licence');
    expect(electronic).toMatchObject({
      name: '营业执照',
      licenceType: '营业执照',
      sourceLabel: '电子证照库获取',
    });

    // The flowchart: start → steps in order → end, with the correction loop at acceptance.
    const nodes = g.process.nodes as { id: string; label: string; kind: string }[];
    const edges = g.process.edges as { from: string; to: string; label: string }[];
    expect(nodes[0]).toMatchObject({ id: 'start', kind: 'start' });
    expect(nodes.filter((n) => n.kind === 'step' || n.kind === 'special').map((n) => n.label)).toEqual([
      '受理',
      '审核',
      '现场核查',
      '审批',
      '办结',
      '送达',
    ]);
    expect(nodes.find((n) => n.label === '现场核查')?.kind).toBe('special');
    expect(edges).toEqual(
      expect.arrayContaining([
        { from: 's1', to: 'correction', label: '材料不齐全或不符合法定形式' },
        { from: 'correction', to: 's1', label: '补正后' },
      ]),
    );
    const reachable = new Set(['start']);
    for (let i = 0; i < nodes.length; i += 1)
      for (const e of edges) if (reachable.has(e.from)) reachable.add(e.to);
    expect(reachable.has('end')).toBe(true);
  });

  it('resolves fees from the fee list and offers the blank form for download', async () => {
    const hit = (await search(q('不动产转移登记'))).items[0];
    const g = (await t.anonymous().get(`/api/v1/catalog/items/${hit.code}/guide`)).json();
    expect(g.fees.free).toBe(false);
    expect(
      g.fees.items.map((f: { code: string; name: string; standardFen: number | null }) => [
        f.code,
        f.standardFen,
      ]),
    ).toEqual([
      ['SF001', 8000],
      ['SF002', 55000],
      ['SF003', 1000],
    ]);
    const form = g.materials.find((m: { blankForm: unknown }) => m.blankForm).blankForm;
    const file = await t.anonymous().get(form.url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain("filename*=UTF-8''");
    expect(file.rawPayload.length).toBe(form.size);
  });

  it('speaks English labels in the flowchart when asked', async () => {
    const hit = (await search(q('结婚登记'))).items[0];
    const g = (
      await t.anonymous().get(`/api/v1/catalog/items/${hit.code}/guide`, { 'accept-language': 'en-US' })
    ).json();
    expect(g.process.nodes[0].label).toBe('Apply');
    expect(g.timeLimits.caseKind.key).toBe('immediate');
  });

  it('the start-up check finds the database able to match Chinese (UTF-8 ctype)', async () => {
    expect(await searchLocaleWarning(t.db)).toBeNull();
  });

  it('an unknown item is a 404', async () => {
    expect((await t.anonymous().get('/api/v1/catalog/items/NOPE-1/guide')).statusCode).toBe(404);
  });
});
