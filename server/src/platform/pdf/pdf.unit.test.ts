import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDocument } from './index.js';

/** Parse a binary PGM (P5) as written by `pdftoppm -gray`. */
function readPgm(path: string): { width: number; height: number; pixels: Uint8Array } {
  const buf = readFileSync(path);
  const header = buf.subarray(0, 64).toString('latin1');
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  if (!m) throw new Error('not a PGM');
  return { width: Number(m[1]), height: Number(m[2]), pixels: buf.subarray(m[0].length) };
}

function darkShare(
  img: { width: number; pixels: Uint8Array },
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number {
  let dark = 0;
  let all = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      all += 1;
      if (img.pixels[y * img.width + x] < 128) dark += 1;
    }
  }
  return dark / all;
}

describe('official PDF documents', () => {
  it('draws the Chinese text (rasterised, not only extractable), numbers pages and prints the case number on each', async () => {
    const items = Array.from(
      { length: 60 },
      (_, i) => `第${i + 1}项材料:营业执照复印件不清晰,请提供加盖公章的清晰复印件`,
    );
    const bytes = await renderDocument({
      title: '补正材料告知书',
      caseNumber: '410103-20261121-00012',
      recipient: '郑州二七示范餐饮有限公司:',
      paragraphs: ['你单位提出的“食品经营许可”申请材料不齐全,现一次性告知需要补正的全部内容如下。'],
      items,
      issuer: '二七区市场监督管理局',
      date: '2026-11-21',
      qrUrl: 'http://localhost:8080/progress?number=410103-20261121-00012',
      qrCaption: '扫码查询办理进度',
    });
    const dir = mkdtempSync(join(tmpdir(), 'tb-pdf-'));
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
    expect(text).toContain('补正材料告知书');
    expect(text).toMatch(/第\s*2\s*页\s*共\s*\d+\s*页/);
    expect(text.match(/410103-20261121-00012/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(text).toContain('第60项材料');

    execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    const img = readPgm(join(dir, 'page-1.pgm'));
    // The title is centred in the top band: with blank CJK glyphs this band is white.
    const title = darkShare(
      img,
      Math.floor(img.width * 0.3),
      Math.floor(img.height * 0.07),
      Math.floor(img.width * 0.7),
      Math.floor(img.height * 0.13),
    );
    expect(title).toBeGreaterThan(0.05);
    // The body lines are drawn too.
    const body = darkShare(
      img,
      Math.floor(img.width * 0.12),
      Math.floor(img.height * 0.2),
      Math.floor(img.width * 0.88),
      Math.floor(img.height * 0.8),
    );
    expect(body).toBeGreaterThan(0.02);
  });

  it('draws a QR code block beside the issuer on the last page', async () => {
    const bytes = await renderDocument({
      title: '受理通知书',
      caseNumber: '410103-20261121-00013',
      paragraphs: ['经审查,符合受理条件,决定予以受理。'],
      issuer: '二七区市场监督管理局',
      date: '2026-11-21',
      qrUrl: 'http://localhost:8080/progress?number=410103-20261121-00013',
    });
    const dir = mkdtempSync(join(tmpdir(), 'tb-pdf-'));
    writeFileSync(join(dir, 'a.pdf'), bytes);
    execFileSync('pdftoppm', ['-gray', '-r', '72', join(dir, 'a.pdf'), join(dir, 'p')]);
    const img = readPgm(join(dir, 'p-1.pgm'));
    // Find the QR's dark modules on the left margin below the text: roughly half the area of a QR is dark.
    let best = 0;
    for (let y = 150; y < img.height - 160; y += 6)
      best = Math.max(best, darkShare(img, 72, y, 72 + 84, y + 84));
    expect(best).toBeGreaterThan(0.3);
    expect(best).toBeLessThan(0.8);
  });
});
