import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { exportCatalogCommand, importCatalogCommand } from './cli.js';
import { countVersions } from './test-helpers.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let source: TestApp;
let target: TestApp;
let tmp: string;
beforeAll(async () => {
  source = await createTestApp({ catalog: { powers: 200 } });
  target = await createTestApp();
  tmp = await mkdtemp(join(tmpdir(), 'tongban-catalog-'));
});
afterAll(async () => {
  await source.close();
  await target.close();
  await rm(tmp, { recursive: true, force: true });
});

type Cells = Record<string, string | number>;

/** The import template, filled with rows given by header. */
async function workbook(rows: Record<string, Cells[]>): Promise<Buffer> {
  const tpl = await target.anonymous().get('/api/v1/catalog/import/template');
  expect(tpl.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
  for (const [sheet, list] of Object.entries(rows)) {
    const ws = wb.getWorksheet(sheet);
    if (!ws) throw new Error(`no sheet ${sheet}`);
    const headers = new Map<string, number>();
    ws.getRow(1).eachCell((c, n) => headers.set(String(c.value), n));
    for (const cells of list) {
      const row = ws.addRow([]);
      for (const [header, value] of Object.entries(cells)) {
        const n = headers.get(header);
        if (!n) throw new Error(`no column ${header} in ${sheet}`);
        row.getCell(n).value = value;
      }
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const item = (code: string, name: string, over: Cells = {}): Cells => ({
  实施编码: code,
  基本编码: '880000000001',
  事项名称: name,
  关键词: '测试、导入',
  事项类型: '行政许可',
  实施部门: '二七区市场监督管理局',
  服务对象: '法人',
  受理条件: '依法设立\n有固定场所',
  '法定时限(工作日)': 20,
  '承诺时限(工作日)': 5,
  办件类型: '承诺件',
  办理形式: '窗口办理、网上办理',
  网办深度: 'Ⅲ',
  到现场次数: 1,
  收费项目: 'IMP-SF1(每件)',
  结果类型: '证照',
  结果名称: '导入测试许可证',
  法人主题: '准营准办',
  可办层级: '县(区)级',
  容缺受理: '是',
  ...over,
});
const steps = (code: string): Cells[] =>
  ['受理', '审核', '审批', '办结', '送达'].map((name, i) => ({
    实施编码: code,
    序号: i + 1,
    环节名称: name,
    '环节时限(工作日)': i === 1 ? 2 : 0,
  }));
const fee: Cells = {
  编码: 'IMP-SF1',
  收费项目: '导入测试费',
  执收部门: '市场监管',
  '收费标准(元)': '12.50',
  计费单位: '件',
  收费依据: '测试依据',
};

describe('import', () => {
  it('writes a good workbook: items with materials and steps, published and searchable', async () => {
    const file = await workbook({
      事项: [
        item('IMP-XK-1', '导入测试经营许可'),
        item('IMP-XK-2', '导入测试变更许可', { '承诺时限(工作日)': 3 }),
      ],
      材料: [
        { 实施编码: 'IMP-XK-1', 材料名称: '申请书', 关键材料: '是' },
        { 实施编码: 'IMP-XK-1', 材料名称: '场所证明', 材料形式: '复印件', 容缺: '是' },
        { 实施编码: 'IMP-XK-2', 材料名称: '变更申请书' },
      ],
      流程: [...steps('IMP-XK-1'), ...steps('IMP-XK-2')],
      收费清单: [fee],
    });
    const admin = await target.as('hall_admin');
    const res = await admin.post('/api/v1/catalog/import', file, {
      'content-type': XLSX,
      'x-file-name': encodeURIComponent('导入测试.xlsx'),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      ok: true,
      created: 3,
      amended: 0,
      published: 3,
      bySheet: { 事项: 2, 材料: 3, 流程: 10, 收费清单: 1 },
    });

    const hit = (
      await target.anonymous().get(`/api/v1/catalog/search?q=${encodeURIComponent('导入测试经营')}`)
    ).json().items[0];
    expect(hit.code).toBe('IMP-XK-1');
    const guide = (await target.anonymous().get('/api/v1/catalog/items/IMP-XK-1/guide')).json();
    expect(guide.materials.map((m: { name: string }) => m.name)).toEqual(['申请书', '场所证明']);
    expect(guide.materials[1]).toMatchObject({ kind: 'copy', allowDeficiency: true });
    expect(guide.fees.items[0]).toMatchObject({ code: 'IMP-SF1', standardFen: 1250, note: '每件' });
    expect(guide.conditions).toEqual(['依法设立', '有固定场所']);

    // The same workbook again changes nothing; a changed row adds a version.
    const again = await admin.post('/api/v1/catalog/import', file, { 'content-type': XLSX });
    expect(again.json()).toMatchObject({ created: 0, amended: 0, unchanged: 3 });
    const changed = await workbook({
      事项: [item('IMP-XK-1', '导入测试经营许可', { '承诺时限(工作日)': 2, 变更原因: '压缩时限' })],
      材料: [
        { 实施编码: 'IMP-XK-1', 材料名称: '申请书', 关键材料: '是' },
        { 实施编码: 'IMP-XK-1', 材料名称: '场所证明', 材料形式: '复印件', 容缺: '是' },
      ],
      流程: steps('IMP-XK-1'),
    });
    const amended = await admin.post('/api/v1/catalog/import', {
      fileBase64: changed.toString('base64'),
      fileName: 'changed.xlsx',
    });
    expect(amended.statusCode, amended.body).toBe(201);
    expect(amended.json()).toMatchObject({ created: 0, amended: 1 });
    const history = (await target.anonymous().get('/api/v1/catalog/items/IMP-XK-1/versions')).json().items;
    expect(history.map((h: { seq: number; reason: string }) => [h.seq, h.reason])).toEqual([
      [2, '压缩时限'],
      [1, '批量导入 导入测试.xlsx'],
    ]);
  });

  it('rejects a bad workbook with every error by sheet, row and column, and imports nothing', async () => {
    const file = await workbook({
      事项: [
        item('BAD-1', '坏数据一', { '法定时限(工作日)': 5, '承诺时限(工作日)': 9 }),
        item('BAD-2', '坏数据二', { 实施部门: '不存在的局' }),
        item('BAD-3', '坏数据三', { 到现场次数: '两次' }),
        item('BAD-1', '重复编码'),
        item('BAD-4', '坏数据四'),
      ],
      材料: [
        { 实施编码: 'BAD-1', 材料名称: '申请书' },
        { 实施编码: 'BAD-1', 材料名称: '关键证明', 关键材料: '是', 容缺: '是' },
        { 实施编码: 'NOPE-9', 材料名称: '孤儿材料' },
      ],
      流程: [...steps('BAD-1'), ...steps('BAD-4').slice(0, 2)],
      收费清单: [fee],
    });
    const before = await countVersions(target);
    const admin = await target.as('hall_admin');
    const res = await admin.post('/api/v1/catalog/import', file, { 'content-type': XLSX });
    expect(res.statusCode).toBe(400);
    const body = res.json().error;
    expect(body.message).toMatch(/导入文件有 \d+ 处错误,未导入任何数据/);
    const errors = body.details.errors as {
      sheet: string;
      row: number;
      column: string;
      header: string;
      field: string;
      rule: string;
    }[];
    const at = errors.map((e) => `${e.sheet}!${e.column}${e.row}:${e.rule}`);
    expect(at).toEqual(
      expect.arrayContaining([
        '事项!M2:promisedWithinLegal', // 承诺时限 of row 2
        '事项!G3:departmentName', // 实施部门 of row 3
        '事项!Q4:integer', // 到现场次数 of row 4
        '事项!A5:importDuplicate', // the code repeats row 2
        '材料!I3:deficiencyEssential', // 容缺 of the essential material
        '材料!A4:importUnknownItem',
        '流程!C7:licensingSteps', // BAD-4 has no 审批/办结/送达
      ]),
    );
    expect(errors.find((e) => e.rule === 'deficiencyEssential')).toMatchObject({
      header: '容缺',
      field: 'materials.1.allowDeficiency',
    });
    // One message per cell: the unreadable number is not also reported as missing.
    expect(at.filter((x) => x.startsWith('事项!Q4:'))).toEqual(['事项!Q4:integer']);
    // The API's generic error shape names the same cells.
    expect(body.details.fields.map((f: { field: string }) => f.field)).toContain('事项!M2');
    expect(await countVersions(target)).toBe(before);
    expect((await target.anonymous().get('/api/v1/catalog/fees/IMP-SF1/versions')).json().items).toHaveLength(
      1,
    );
  });

  it('a missing required column and a file that is not a workbook are 400s', async () => {
    const admin = await target.as('hall_admin');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('权责清单').addRow(['编码', '权力名称']);
    wb.getWorksheet('权责清单')?.addRow(['QL-1', '某权力']);
    const res = await admin.post('/api/v1/catalog/import', Buffer.from(await wb.xlsx.writeBuffer()), {
      'content-type': XLSX,
    });
    expect(res.statusCode).toBe(400);
    const errors = res.json().error.details.errors as {
      sheet: string;
      row: number;
      rule: string;
      message: string;
    }[];
    expect(errors.filter((e) => e.rule === 'importHeader').map((e) => e.message)).toEqual(
      expect.arrayContaining(['缺少必填列“权力类型”', '缺少必填列“实施主体”', '缺少必填列“行使层级”']),
    );
    const junk = await admin.post('/api/v1/catalog/import', {
      fileBase64: Buffer.from('not a workbook').toString('base64'),
    });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.details.fields[0]).toMatchObject({ field: 'file', rule: 'xlsx' });
  });

  it('streams progress as NDJSON and ends with the report', async () => {
    const file = await workbook({
      负面清单: [{ 编码: 'FM-NDJSON', 事项: '流式导入测试', 行业: '测试', 类别: '禁止准入' }],
    });
    const admin = await target.as('hall_admin');
    const res = await admin.post('/api/v1/catalog/import?stream=true', file, { 'content-type': XLSX });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const lines = res.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.some((l) => l.type === 'progress' && l.phase === 'validate')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ type: 'result', report: { ok: true, created: 1 } });
  });

  it('only catalog administrators import', async () => {
    const file = await workbook({
      负面清单: [{ 编码: 'FM-X', 事项: '越权', 行业: '测试', 类别: '禁止准入' }],
    });
    expect(
      (await target.anonymous().post('/api/v1/catalog/import', file, { 'content-type': XLSX })).statusCode,
    ).toBe(401);
    expect(
      (await (await target.as('clerk')).post('/api/v1/catalog/import', file, { 'content-type': XLSX }))
        .statusCode,
    ).toBe(403);
  });
});

describe('export', () => {
  it('round trip: the exported catalog imports into a fresh database as the same items', async () => {
    const exported = await source.anonymous().get('/api/v1/catalog/export');
    expect(exported.statusCode).toBe(200);
    const fresh = await createTestApp();
    try {
      const res = await (await fresh.as('sysadmin')).post('/api/v1/catalog/import', exported.rawPayload, {
        'content-type': XLSX,
      });
      expect(res.statusCode, res.body.slice(0, 2000)).toBe(201);
      expect(res.json()).toMatchObject({ ok: true, amended: 0, unchanged: 0 });
      const lists = [
        'items',
        'powers',
        'fees',
        'funds',
        'negative-list',
        'permission-list',
        'supervision-list',
        'intermediaries',
      ];
      for (const list of lists) {
        const a = await allOf(source, list);
        const b = await allOf(fresh, list);
        expect(b.length, list).toBe(a.length);
        expect(b, list).toEqual(a);
      }
    } finally {
      await fresh.close();
    }
  });

  it('importing the export into the same database changes nothing, and a pending draft stays pending', async () => {
    const exported = await source.anonymous().get('/api/v1/catalog/export');
    const before = await countVersions(source);
    const res = await (await source.as('sysadmin')).post('/api/v1/catalog/import', exported.rawPayload, {
      'content-type': XLSX,
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(201);
    expect(res.json()).toMatchObject({ created: 0, amended: 0, published: 0 });
    expect(await countVersions(source)).toBe(before);
    const company = (
      await source.anonymous().get(`/api/v1/catalog/search?q=${encodeURIComponent('公司设立登记')}`)
    ).json().items[0];
    const history = (
      await (await source.as('sysadmin')).get(`/api/v1/catalog/items/${company.code}/versions`)
    ).json().items;
    expect(history.map((h: { status: string }) => h.status)).toEqual(['draft', 'published']);
  });

  it('the CLI writes the template and the catalog, and checks a workbook without writing', async () => {
    const template = join(tmp, 'template.xlsx');
    const out = join(tmp, 'catalog.xlsx');
    expect(await exportCatalogCommand(source.db, { out: template, template: true, format: 'xlsx' })).toBe(0);
    expect(
      await exportCatalogCommand(source.db, { out, template: false, format: 'xlsx', lists: 'fees,funds' }),
    ).toBe(0);
    expect(
      await exportCatalogCommand(source.db, {
        out: join(tmp, 'x.csv'),
        template: false,
        format: 'csv',
        lists: 'fees,funds',
      }),
    ).toBe(2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(template);
    expect(wb.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(['事项', '材料', '流程', '权责清单', '收费清单', '说明']),
    );
    const before = await countVersions(target);
    expect(await importCatalogCommand(target.db, out, { homeRegion: '410103', dryRun: true })).toBe(0);
    expect(await countVersions(target)).toBe(before);
  });
});

/**
 * Every entry in effect of a list, as code → data, with departments by name (ids differ between databases)
 * and file references left out (files are not exported).
 */
async function allOf(t: TestApp, list: string): Promise<[string, unknown][]> {
  const depts = (await (await t.as('sysadmin')).get('/api/v1/departments?pageSize=100')).json().items as {
    id: string;
    name: string;
  }[];
  const name = new Map(depts.map((d) => [d.id, d.name]));
  const out: [string, unknown][] = [];
  for (let page = 1; ; page += 1) {
    const res = (await t.anonymous().get(`/api/v1/catalog/${list}?pageSize=200&page=${page}`)).json();
    for (const row of res.items as { code: string; data: Record<string, unknown>; effectiveFrom: string }[]) {
      const data = JSON.stringify(row.data, (k, v) =>
        k.endsWith('FileId') ? null : k.endsWith('epartmentId') && v ? name.get(v) : v,
      );
      out.push([row.code, { effectiveFrom: row.effectiveFrom, data: JSON.parse(data) }]);
    }
    if (page * 200 >= res.total) break;
  }
  return out;
}
