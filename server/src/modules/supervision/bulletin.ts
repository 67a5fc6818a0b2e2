import fontkit from '@pdf-lib/fontkit';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { subsetFor } from '../../platform/pdf/fonts.js';
import type { Tx } from '../../platform/tx.js';
import { type Assessment, computeAssessment } from './assessment.js';
import { ruleNames } from './cards.js';
import { computeFigures, computeTrend, type Figures, periodRange } from './figures.js';
import { regionFilter, requireWatcher, watchedPrefixes } from './policy.js';
import type * as s from './schema.js';

/**
 * 月通报: the month's figures, department ranking, daily trend, alerts by rule and cards — as a workbook
 * and as a PDF with charts. Both are built from one `BulletinData`, computed by the same functions as the
 * dashboard, so every number in them equals the number on screen.
 */
export type BulletinData = {
  month: string;
  from: string;
  to: string;
  figures: Figures;
  departments: { name: string; figures: Figures }[];
  trend: { period: string; figures: Figures }[];
  assessment: Assessment;
  alertsByRule: { rule: string; raised: number; closed: number }[];
  cards: { yellow: number; red: number };
};

/** Figure rows as printed: label, value, unit. */
export const figureRows: { key: keyof Figures; label: string; unit: string }[] = [
  { key: 'received', label: '收件量', unit: '件' },
  { key: 'accepted', label: '受理量', unit: '件' },
  { key: 'completed', label: '办结量', unit: '件' },
  { key: 'pending', label: '在办量', unit: '件' },
  { key: 'onTimeRate', label: '按时办结率', unit: '%' },
  { key: 'immediateItemShare', label: '即办件比例', unit: '%' },
  { key: 'onSpotShare', label: '当场办结比例', unit: '%' },
  { key: 'promisedSpeedup', label: '承诺提速率', unit: '%' },
  { key: 'handlingSpeedup', label: '办理提速率', unit: '%' },
  { key: 'earlyDays', label: '提前办结工作日', unit: '日' },
  { key: 'averageDays', label: '平均办理工作日', unit: '日' },
  { key: 'onlineRate', label: '网上申请率', unit: '%' },
  { key: 'preReviewRate', label: '网上预审率', unit: '%' },
  { key: 'fullyOnlineRate', label: '全程网办率', unit: '%' },
  { key: 'correctionRate', label: '补正率', unit: '%' },
  { key: 'deficiencyShare', label: '容缺受理比例', unit: '%' },
  { key: 'jointCases', label: '并联审批办结', unit: '件' },
  { key: 'jointDaysSaved', label: '并联审批节省工作日', unit: '日' },
];

export function show(v: number | null): string {
  return v === null ? '—' : String(v);
}

export async function bulletinData(db: Tx, month: string, prefixes: string[] | null): Promise<BulletinData> {
  const range = periodRange('month', `${month}-01`);
  const [all, depts, trend, assessment] = await Promise.all([
    computeFigures(db, range, prefixes),
    computeFigures(db, range, prefixes, 'department'),
    computeTrend(db, range, prefixes, 'day'),
    computeAssessment(db, range, prefixes, 'department'),
  ]);
  const lo = new Date(`${range.from}T00:00:00+08:00`);
  const hi = new Date(new Date(`${range.to}T00:00:00+08:00`).getTime() + 86400_000);
  const alerts = await sql<{ rule: string; raised: number; closed: number }>`
    SELECT rule, count(*)::bigint AS raised, count(*) FILTER (WHERE status = 'closed')::bigint AS closed
    FROM sup_alerts WHERE raised_at >= ${lo} AND raised_at < ${hi} AND ${regionFilter(prefixes, 'region_code')}
    GROUP BY rule ORDER BY rule`.execute(db);
  const cards = await sql<{ yellow: number; red: number }>`
    SELECT count(*) FILTER (WHERE color = 'yellow')::bigint AS yellow, count(*) FILTER (WHERE color = 'red')::bigint AS red
    FROM sup_cards WHERE issued_at >= ${lo} AND issued_at < ${hi} AND ${regionFilter(prefixes, 'region_code')}`.execute(
    db,
  );
  return {
    month,
    ...range,
    figures: all.figures,
    departments: depts.groups.map((g) => ({ name: g.name, figures: g.figures })),
    trend: trend.points,
    assessment,
    alertsByRule: alerts.rows.map((r) => ({
      rule: r.rule,
      raised: Number(r.raised),
      closed: Number(r.closed),
    })),
    cards: { yellow: Number(cards.rows[0]?.yellow ?? 0), red: Number(cards.rows[0]?.red ?? 0) },
  };
}

export async function bulletinXlsx(d: BulletinData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tongban 通办';
  wb.created = new Date(`${d.to}T00:00:00+08:00`);
  const summary = wb.addWorksheet('概况');
  summary.columns = [
    { header: '指标', key: 'label', width: 24 },
    { header: '数值', key: 'value', width: 14 },
    { header: '单位', key: 'unit', width: 8 },
    { header: '代码', key: 'key', width: 22 },
  ];
  summary.addRow({ label: `${d.month} 月通报(${d.from} 至 ${d.to})` });
  for (const r of figureRows)
    summary.addRow({ label: r.label, value: d.figures[r.key], unit: r.unit, key: r.key });
  summary.addRow({ label: '黄牌', value: d.cards.yellow, unit: '张', key: 'yellowCards' });
  summary.addRow({ label: '红牌', value: d.cards.red, unit: '张', key: 'redCards' });

  const ranking = wb.addWorksheet('部门考核');
  ranking.columns = [
    { header: '名次', key: 'rank', width: 6 },
    { header: '部门', key: 'name', width: 28 },
    { header: '办结', key: 'completed', width: 8 },
    { header: '按时办结率%', key: 'onTimeRate', width: 12 },
    { header: '预警', key: 'alerts', width: 8 },
    { header: '黄牌', key: 'yellowCards', width: 8 },
    { header: '红牌', key: 'redCards', width: 8 },
    { header: '得分', key: 'score', width: 10 },
  ];
  for (const r of d.assessment.rows) ranking.addRow(r);

  const depts = wb.addWorksheet('部门指标');
  depts.columns = [
    { header: '部门', key: 'name', width: 28 },
    ...figureRows.slice(0, 16).map((r) => ({ header: r.label, key: r.key, width: 12 })),
  ];
  for (const g of d.departments) depts.addRow({ name: g.name, ...g.figures });

  const trend = wb.addWorksheet('每日趋势');
  trend.columns = [
    { header: '日期', key: 'period', width: 12 },
    { header: '收件量', key: 'received', width: 10 },
    { header: '办结量', key: 'completed', width: 10 },
    { header: '按时办结率%', key: 'onTimeRate', width: 12 },
  ];
  for (const p of d.trend) trend.addRow({ period: p.period, ...p.figures });

  const alerts = wb.addWorksheet('监察预警');
  alerts.columns = [
    { header: '规则', key: 'name', width: 30 },
    { header: '代码', key: 'rule', width: 24 },
    { header: '发现', key: 'raised', width: 8 },
    { header: '已办结', key: 'closed', width: 8 },
  ];
  for (const a of d.alertsByRule) alerts.addRow({ ...a, name: ruleNames[a.rule] ?? a.rule });
  for (const ws of wb.worksheets) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const MM = 72 / 25.4;
const PAGE = { w: 210 * MM, h: 297 * MM, margin: 18 * MM };
const BLUE = rgb(0.16, 0.4, 0.8);
const ORANGE = rgb(0.95, 0.55, 0.1);
const GREY = rgb(0.45, 0.45, 0.45);
const LIGHT = rgb(0.85, 0.85, 0.85);

/** The bulletin as a PDF: summary table, a bar chart of department on-time rates and a line chart of the days. */
export async function bulletinPdf(d: BulletinData): Promise<Uint8Array> {
  const title = `电子监察月通报 ${d.month}`;
  const depts = d.assessment.rows.slice(0, 12);
  const texts = [
    `统计期间:${d.from} 至 ${d.to}`,
    '主要指标',
    '部门按时办结率(%)',
    '每日收件与办结',
    '部门考核排名',
    '收件量',
    '办结量',
    '名次 部门 办结 按时率 预警 黄牌 红牌 得分',
    '监察预警 发现 已办结 黄牌 红牌 张',
    ...figureRows.map((r) => `${r.label}${show(d.figures[r.key])}${r.unit}`),
    ...depts.map(
      (r) =>
        `${r.rank}${r.name}${r.completed}${show(r.onTimeRate)}${r.alerts}${r.yellowCards}${r.redCards}${r.score}`,
    ),
    ...d.alertsByRule.map((a) => `${ruleNames[a.rule] ?? a.rule}${a.raised}${a.closed}`),
    ...d.trend.map((p) => p.period),
    '0123456789.-—%',
    String(d.cards.yellow),
    String(d.cards.red),
  ].join('');
  const [regularBytes, boldBytes] = await Promise.all([
    subsetFor('regular', texts),
    subsetFor('bold', title + texts),
  ]);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(regularBytes, { subset: false });
  const bold = await pdf.embedFont(boldBytes, { subset: false });
  const fixed = new Date(`${d.to}T00:00:00+08:00`);
  pdf.setTitle(title);
  pdf.setCreator('Tongban 通办');
  pdf.setProducer('Tongban 通办');
  pdf.setCreationDate(fixed);
  pdf.setModificationDate(fixed);

  let page = pdf.addPage([PAGE.w, PAGE.h]);
  let y = PAGE.h - PAGE.margin;
  const text = (
    p: PDFPage,
    t: string,
    x: number,
    yy: number,
    size = 10,
    font: PDFFont = regular,
    color = rgb(0, 0, 0),
  ) => p.drawText(t, { x, y: yy, size, font, color });
  const center = (t: string, size: number, font: PDFFont) => {
    const w = font.widthOfTextAtSize(t, size);
    text(page, t, (PAGE.w - w) / 2, y, size, font);
  };
  center(title, 18, bold);
  y -= 20;
  center(`统计期间:${d.from} 至 ${d.to}`, 10, regular);
  y -= 24;

  // Summary: two columns of label / value.
  text(page, '主要指标', PAGE.margin, y, 12, bold);
  y -= 16;
  const colW = (PAGE.w - 2 * PAGE.margin) / 2;
  figureRows.forEach((r, i) => {
    const x = PAGE.margin + (i % 2) * colW;
    const yy = y - Math.floor(i / 2) * 15;
    text(page, r.label, x, yy, 10);
    const v = `${show(d.figures[r.key])}${d.figures[r.key] === null ? '' : r.unit}`;
    text(page, v, x + colW - 20 - regular.widthOfTextAtSize(v, 10), yy, 10, bold);
  });
  y -= Math.ceil(figureRows.length / 2) * 15 + 14;

  // Bar chart: on-time rate per department.
  text(page, '部门按时办结率(%)', PAGE.margin, y, 12, bold);
  y -= 12;
  const chartH = 150;
  const chartW = PAGE.w - 2 * PAGE.margin;
  const base = y - chartH;
  page.drawLine({
    start: { x: PAGE.margin, y: base },
    end: { x: PAGE.margin + chartW, y: base },
    thickness: 0.8,
    color: GREY,
  });
  for (const t of [0, 50, 100]) {
    const yy = base + (t / 100) * (chartH - 30);
    page.drawLine({
      start: { x: PAGE.margin, y: yy },
      end: { x: PAGE.margin + chartW, y: yy },
      thickness: 0.3,
      color: LIGHT,
    });
    text(page, String(t), PAGE.margin - 14, yy - 3, 7, regular, GREY);
  }
  const slot = chartW / Math.max(1, depts.length);
  depts.forEach((r, i) => {
    const v = r.onTimeRate ?? 0;
    const h = (v / 100) * (chartH - 30);
    const x = PAGE.margin + i * slot + slot * 0.2;
    page.drawRectangle({ x, y: base, width: slot * 0.6, height: h, color: BLUE });
    text(page, show(r.onTimeRate), x, base + h + 2, 7, regular, GREY);
    const name = r.name.length > 6 ? r.name.slice(0, 6) : r.name;
    text(page, name, x - 2, base - 10, 6.5);
  });
  y = base - 28;

  // Line chart: received and completed per day.
  text(page, '每日收件与办结', PAGE.margin, y, 12, bold);
  y -= 12;
  const lineBase = y - chartH;
  const maxV = Math.max(1, ...d.trend.flatMap((p) => [p.figures.received, p.figures.completed]));
  page.drawLine({
    start: { x: PAGE.margin, y: lineBase },
    end: { x: PAGE.margin + chartW, y: lineBase },
    thickness: 0.8,
    color: GREY,
  });
  text(page, String(maxV), PAGE.margin - 14, lineBase + chartH - 30 - 3, 7, regular, GREY);
  const step = chartW / Math.max(1, d.trend.length - 1);
  const series: [keyof Figures, typeof BLUE][] = [
    ['received', BLUE],
    ['completed', ORANGE],
  ];
  for (const [key, color] of series) {
    d.trend.forEach((p, i) => {
      if (i === 0) return;
      const prev = d.trend[i - 1];
      const yv = (v: number) => lineBase + (v / maxV) * (chartH - 30);
      page.drawLine({
        start: { x: PAGE.margin + (i - 1) * step, y: yv(Number(prev.figures[key])) },
        end: { x: PAGE.margin + i * step, y: yv(Number(p.figures[key])) },
        thickness: 1.2,
        color,
      });
    });
  }
  page.drawRectangle({
    x: PAGE.margin + chartW - 110,
    y: lineBase + chartH - 20,
    width: 8,
    height: 8,
    color: BLUE,
  });
  text(page, '收件量', PAGE.margin + chartW - 98, lineBase + chartH - 19, 8);
  page.drawRectangle({
    x: PAGE.margin + chartW - 55,
    y: lineBase + chartH - 20,
    width: 8,
    height: 8,
    color: ORANGE,
  });
  text(page, '办结量', PAGE.margin + chartW - 43, lineBase + chartH - 19, 8);
  if (d.trend.length > 0) {
    text(page, d.trend[0].period, PAGE.margin, lineBase - 10, 7, regular, GREY);
    const last = d.trend[d.trend.length - 1].period;
    text(
      page,
      last,
      PAGE.margin + chartW - regular.widthOfTextAtSize(last, 7),
      lineBase - 10,
      7,
      regular,
      GREY,
    );
  }

  // Page 2: ranking and alerts.
  page = pdf.addPage([PAGE.w, PAGE.h]);
  y = PAGE.h - PAGE.margin;
  text(page, '部门考核排名', PAGE.margin, y, 12, bold);
  y -= 16;
  const cols = [0, 24, 150, 185, 225, 255, 285, 315];
  const head = ['名次', '部门', '办结', '按时率', '预警', '黄牌', '红牌', '得分'];
  head.forEach((h, i) => {
    text(page, h, PAGE.margin + cols[i] * 1.3, y, 9, bold);
  });
  y -= 13;
  for (const r of depts) {
    const cells = [
      String(r.rank),
      r.name,
      String(r.completed),
      show(r.onTimeRate),
      String(r.alerts),
      String(r.yellowCards),
      String(r.redCards),
      String(r.score),
    ];
    cells.forEach((c, i) => {
      text(page, c, PAGE.margin + cols[i] * 1.3, y, 9);
    });
    y -= 13;
  }
  y -= 12;
  text(page, '监察预警', PAGE.margin, y, 12, bold);
  y -= 16;
  text(page, '发现', PAGE.margin + 250, y, 9, bold);
  text(page, '已办结', PAGE.margin + 300, y, 9, bold);
  y -= 13;
  for (const a of d.alertsByRule) {
    text(page, ruleNames[a.rule] ?? a.rule, PAGE.margin, y, 9);
    text(page, String(a.raised), PAGE.margin + 250, y, 9);
    text(page, String(a.closed), PAGE.margin + 300, y, 9);
    y -= 13;
  }
  y -= 8;
  text(page, `黄牌 ${d.cards.yellow} 张  红牌 ${d.cards.red} 张`, PAGE.margin, y, 10);
  return pdf.save();
}

export async function getBulletin(db: Db, actorIn: Actor | null, q: z.output<typeof s.bulletinQuery>) {
  const actor = requireWatcher(actorIn);
  return bulletinData(db, q.month, watchedPrefixes(actor));
}
