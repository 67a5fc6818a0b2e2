import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Box, darkPixels, pdfPagesText, pdfWords, rasterise } from '../../platform/pdf/testing.js';
import { type Client, createTestApp, type TestApp } from '../../test/app.js';
import { generateCases } from '../cases/generate.js';
import { figureRows } from './bulletin.js';
import { consumeAll } from './consume.js';
import { sh } from './fixtures.js';

/**
 * The exports say what the dashboard says: every figure of the bulletin workbook equals the figures API's
 * answer for the month to the unit, and the PDFs print their charts and carry extractable Chinese text.
 */
let t: TestApp;
let supervisor: Client;
const NOW = sh('2026-11-20T12:00:00');
const MONTH = '2026-11';

type Json = Record<string, unknown>;

beforeAll(async () => {
  t = await createTestApp({ catalog: true });
  supervisor = await t.as('supervisor');
  await generateCases(t.db, { count: 600, days: 50, until: NOW, seed: 11 });
  await consumeAll(t.db, { now: NOW });
});
afterAll(() => t.close());

async function getJson(url: string): Promise<Json> {
  const res = await supervisor.get(url);
  expect(res.statusCode, url).toBe(200);
  return res.json();
}

/** A worksheet as objects keyed by the header row. */
function rowsOf(ws: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).map((v) => String(v ?? ''));
  const out: Record<string, ExcelJS.CellValue>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const values = row.values as ExcelJS.CellValue[];
    out.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? null]).filter(([h]) => h !== '')));
  });
  return out;
}

describe('the monthly bulletin', () => {
  it('has in its workbook every figure the dashboard shows for the month, to the unit', async () => {
    const q = `period=month&date=${MONTH}-01`;
    const month = await getJson(`/api/v1/supervision/figures?${q}`);
    const byDept = await getJson(`/api/v1/supervision/figures?${q}&groupBy=department`);
    const trend = await getJson(`/api/v1/supervision/figures/trend?${q}&granularity=day`);
    const assessment = await getJson(`/api/v1/supervision/assessment?${q}&level=department`);
    const figures = month.figures as Json;
    expect(figures.received).toBeGreaterThan(100);

    const res = await supervisor.get(`/api/v1/supervision/bulletin.xlsx?month=${MONTH}`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    const sheet = (name: string) => {
      const ws = wb.getWorksheet(name);
      if (!ws) throw new Error(`no sheet ${name}`);
      return rowsOf(ws);
    };

    // 概况: one row per figure, with its code; an empty cell where the dashboard shows none (null).
    const summary = new Map(sheet('概况').map((r) => [String(r.代码 ?? ''), r.数值]));
    for (const r of figureRows) expect(summary.get(r.key) ?? null, r.key).toEqual(figures[r.key]);

    // 部门指标: each department's row against the dashboard's breakdown.
    const groups = byDept.groups as { name: string; figures: Json }[];
    const depts = sheet('部门指标');
    expect(depts.map((r) => r.部门)).toEqual(groups.map((g) => g.name));
    depts.forEach((row, i) => {
      for (const r of figureRows.slice(0, 16))
        expect(row[r.label] ?? null, `${groups[i].name} ${r.key}`).toEqual(groups[i].figures[r.key]);
    });

    // 每日趋势: each day.
    const points = trend.points as { period: string; figures: Json }[];
    const days = sheet('每日趋势');
    expect(days.map((r) => r.日期)).toEqual(points.map((p) => p.period));
    days.forEach((row, i) => {
      expect(row.收件量).toBe(points[i].figures.received);
      expect(row.办结量).toBe(points[i].figures.completed);
      expect(row['按时办结率%'] ?? null).toEqual(points[i].figures.onTimeRate);
    });

    // 部门考核: the assessment table.
    const ranking = sheet('部门考核');
    const rows = assessment.rows as Json[];
    expect(ranking).toHaveLength(rows.length);
    ranking.forEach((row, i) => {
      expect(row).toMatchObject({
        名次: rows[i].rank,
        部门: rows[i].name,
        办结: rows[i].completed,
        预警: rows[i].alerts,
        黄牌: rows[i].yellowCards,
        红牌: rows[i].redCards,
        得分: rows[i].score,
      });
      expect(row['按时办结率%'] ?? null).toEqual(rows[i].onTimeRate);
    });
  });

  it('prints its charts in the PDF, with the Chinese text extractable', async () => {
    const res = await supervisor.get(`/api/v1/supervision/bulletin.pdf?month=${MONTH}`);
    expect(res.statusCode).toBe(200);
    const pdf = new Uint8Array(res.rawPayload);
    const text = (await pdfPagesText(pdf)).join('\n');
    expect(text).toContain('月通报');
    expect(text).toContain('部门按时办结率');
    expect(text).toContain('每日收件与办结');
    const [page] = await pdfWords(pdf);
    const raster = await rasterise(pdf, 1, 72);
    // Each chart is drawn in the 150 pt below its title. Counting only pixels as dark as the chart blue (grey
    // level 95; axes and grid print lighter, at 115 and 217), the bars and the received line must be there.
    const ink: number[] = [];
    for (const title of ['部门按时办结率(%)', '每日收件与办结']) {
      const word = page.words.find((w) => w.text.startsWith(title.slice(0, 4)));
      expect(word, title).toBeDefined();
      const y = (word as Box).yMax;
      // Left of the legend (the last 115 pt of the chart's width).
      ink.push(darkPixels(raster, { xMin: 60, xMax: page.width - 170, yMin: y + 15, yMax: y + 150 }, 105));
    }
    expect(ink[0], 'bars').toBeGreaterThan(3000);
    expect(ink[1], 'line').toBeGreaterThan(250);
    // A blank band of the page stays blank: the check would notice an all-dark page.
    expect(darkPixels(raster, { xMin: 0, xMax: page.width, yMin: page.height - 20, yMax: page.height })).toBe(
      0,
    );
  });
});

describe('the rectification notice', () => {
  it('prints as a PDF whose Chinese text is extractable and not blank', async () => {
    const dept = await t.db
      .selectFrom('staff')
      .select('department_id')
      .where('username', '=', 'clerk')
      .executeTakeFirstOrThrow();
    const res = await supervisor.post('/api/v1/supervision/cards', {
      color: 'red',
      targetType: 'department',
      departmentId: dept.department_id,
      reason: '本月多件办件超期未办结',
    });
    expect(res.statusCode).toBe(201);
    const notice = await supervisor.get(`/api/v1/supervision/cards/${res.json().id}/notice.pdf`);
    expect(notice.statusCode).toBe(200);
    const pdf = new Uint8Array(notice.rawPayload);
    const text = (await pdfPagesText(pdf)).join('\n').replace(/\s+/g, '');
    expect(text).toContain('效能监察红牌整改通知书');
    expect(text).toContain('本月多件办件超期未办结');
    const [page] = await pdfWords(pdf);
    const raster = await rasterise(pdf, 1, 96);
    // Every word of the reason prints ink where the text layer puts it.
    const reason = page.words.filter((w) => '本月多件办件超期未办结'.includes(w.text) && w.text.length > 1);
    expect(reason.length).toBeGreaterThan(0);
    for (const w of reason) expect(darkPixels(raster, w), w.text).toBeGreaterThan(10);
    expect(darkPixels(raster, { xMin: 0, xMax: page.width, yMin: 0, yMax: page.height })).toBeGreaterThan(
      2000,
    );
  });
});
