import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { subsetFor } from './fonts.js';
import { type OfficialDocument, renderCertificate, renderDocument } from './index.js';
import { qrMatrix } from './qr.js';
import { blankHanCharacters, inkBox, pdfPagesText, pdfWords, rasterise } from './testing.js';

const CASE_NUMBER = '410103-20261121-000123';
const QR_URL = `https://tongban.example.gov.cn/progress/${CASE_NUMBER}`;

/** 补正告知书 listing every missing material at once: long enough for a second page. */
const correctionNotice: OfficialDocument = {
  title: '补正材料告知书',
  docNumber: '二七市监受字〔2026〕第 00012 号',
  caseNumber: CASE_NUMBER,
  recipient: '郑州某某餐饮管理有限公司',
  paragraphs: [
    '你（单位）于2026年11月20日提交的《食品经营许可申请》收悉。经审查，申请材料不齐全、不符合法定形式，' +
      '根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，请一次性补正下列材料：',
  ],
  items: Array.from(
    { length: 16 },
    (_, i) => `第${i + 1}项：营业执照副本复印件（加盖公章），须与原件一致；法定代表人身份证明。`,
  ),
  closing: ['请于收到本告知书之日起 30 日内补正。逾期未补正的，视为放弃申请。'],
  issuer: '郑州市二七区市场监督管理局',
  date: '2026-11-21',
  qrUrl: QR_URL,
};

const squash = (s: string) => s.replace(/\s+/g, '');

describe('renderDocument', () => {
  let pdf: Uint8Array;
  let pages: string[];
  beforeAll(async () => {
    pdf = await renderDocument(correctionNotice);
    pages = await pdfPagesText(pdf);
  });

  it('breaks a long list onto a second page, with the case number and page numbers on every page', () => {
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('补正材料告知书');
    expect(pages[0]).toContain('二七市监受字〔2026〕第 00012 号');
    pages.forEach((text, i) => {
      expect(text).toContain(CASE_NUMBER);
      expect(squash(text)).toContain(`第${i + 1}页共2页`);
    });
    expect(squash(pages[1])).toContain('2026年11月21日');
    // Every material made it, whole and in order, across the break.
    const all = pages.map((p) => squash(p).replace(/办件编号：[\d-]+|第\d+页共\d+页/g, '')).join('');
    const positions = correctionNotice.items?.map((item) => all.indexOf(squash(item))) ?? [];
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('prints every Chinese character it extracts (no blank CJK glyphs), the title included', async () => {
    const words = await pdfWords(pdf);
    for (const [i, page] of words.entries()) {
      const raster = await rasterise(pdf, i + 1, 50);
      expect(blankHanCharacters(raster, page.words), `page ${i + 1}`).toEqual([]);
    }
    const titleWords = words[0].words.filter((w) => '补正材料告知书'.includes(w.text));
    expect(titleWords.map((w) => w.text).join('')).toBe('补正材料告知书');
  });

  it('the blank-glyph check fails on text that extracts but does not print', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(await subsetFor('bold', '补正材料告知书'), { subset: false });
    const page = doc.addPage([595, 842]);
    page.drawText('补正材料', { x: 100, y: 700, size: 22, font, color: rgb(0, 0, 0) });
    page.drawText('告知书', { x: 200, y: 700, size: 22, font, opacity: 0 });
    const bytes = await doc.save();
    const words = await pdfWords(bytes);
    expect(squash((await pdfPagesText(bytes))[0])).toBe('补正材料告知书');
    expect(blankHanCharacters(await rasterise(bytes, 1, 50), words[0].words)).toEqual(['告', '知', '书']);
  });

  it('keeps every character in the text layer, digits inside Latin words too', () => {
    // With the font's layout tables, digits after a slash came out as fraction glyphs missing from the PDF's
    // ToUnicode map: the URL stopped at "progress/" when copied.
    expect(squash(pages[1])).toContain(QR_URL);
  });

  it('draws the QR code module for module', async () => {
    const last = pages.length;
    const words = (await pdfWords(pdf))[last - 1].words;
    const caption = words.find((w) => w.text.startsWith('扫码'));
    expect(caption).toBeDefined();
    if (!caption) return;
    const raster = await rasterise(pdf, last, 200);
    // The symbol sits left of its caption, top-aligned with it.
    const box = inkBox(raster, {
      xMin: 0,
      xMax: caption.xMin - 2,
      yMin: caption.yMin - 6,
      yMax: caption.yMin + 150,
    });
    expect(box).not.toBeNull();
    if (!box) return;
    const matrix = qrMatrix(QR_URL);
    const side = box.xMax - box.xMin;
    expect(box.yMax - box.yMin).toBeCloseTo(side, 0);
    const s = raster.dpi / 72;
    const module = side / matrix.size;
    let same = 0;
    for (let row = 0; row < matrix.size; row++) {
      for (let col = 0; col < matrix.size; col++) {
        const x = Math.round((box.xMin + (col + 0.5) * module) * s);
        const y = Math.round((box.yMin + (row + 0.5) * module) * s);
        const printedDark = raster.pixels[y * raster.width + x] < 128;
        if (printedDark === matrix.dark(row, col)) same++;
      }
    }
    expect(same).toBe(matrix.size * matrix.size);
  });

  it('gives the same bytes for the same document, so the file store keeps one copy', async () => {
    const again = await renderDocument(correctionNotice);
    expect(Buffer.from(again).equals(Buffer.from(pdf))).toBe(true);
  });

  it('repeats a table head on each page the table reaches and splits a cell taller than a page', async () => {
    const tall = Array.from({ length: 60 }, (_, i) => `第${i + 1}行说明文字`).join('');
    const doc = await renderDocument({
      ...correctionNotice,
      items: undefined,
      table: {
        head: ['材料名称', '问题', '要求'],
        rows: [
          ...Array.from({ length: 30 }, (_, i) => [`材料${i + 1}`, '复印件不清晰', '重新提供']),
          ['超长说明', tall, '补充'],
        ],
      },
    });
    const text = await pdfPagesText(doc);
    expect(text.length).toBeGreaterThanOrEqual(3);
    for (const page of text.slice(0, -1)) expect(page).toContain('材料名称');
    expect(squash(text.join(''))).toContain('第60行说明文字');
  });

  it('prints the date and labels in English for en-US', async () => {
    const doc = await renderDocument({
      ...correctionNotice,
      title: 'Notice of Corrections',
      items: ['Business licence copy'],
      locale: 'en-US',
    });
    const [text] = await pdfPagesText(doc);
    expect(text).toContain('21 November 2026');
    expect(text).toContain(`Case No. ${CASE_NUMBER}`);
    expect(text).toContain('Page 1 of 1');
  });

  it('renders a certificate with the same content inside a frame', async () => {
    const doc = await renderCertificate({
      ...correctionNotice,
      title: '食品经营许可决定书',
      items: undefined,
    });
    const [text] = await pdfPagesText(doc);
    expect(text).toContain('食品经营许可决定书');
    const raster = await rasterise(doc, 1, 50);
    // The frame: the page's left edge region has a dark vertical line 12 mm in.
    const frame = inkBox(raster, { xMin: 30, xMax: 36, yMin: 300, yMax: 500 });
    expect(frame).not.toBeNull();
  });

  it('refuses a date that is not a calendar date', async () => {
    await expect(renderDocument({ ...correctionNotice, date: '2026-02-30' })).rejects.toThrow(/YYYY-MM-DD/);
  });
});
