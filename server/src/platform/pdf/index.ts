import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import subsetFont from 'subset-font';

/**
 * Official documents (受理通知书, 补正告知书, 决定书 …) as A4 PDFs with Chinese text, the case number on every
 * page and a QR code to the public progress page.
 *
 * pdf-lib's own font subsetting drops CJK glyphs when they are drawn (the text extracts but the page renders
 * blank), so the font is subset here with `subset-font` to exactly the characters of the document and
 * embedded whole (`subset: false`). Tests rasterise the page to prove the glyphs are drawn.
 */
export type OfficialDocument = {
  title: string;
  /** e.g. 二七市监受字〔2026〕第 00012 号 */
  docNumber?: string;
  caseNumber: string;
  recipient?: string;
  paragraphs: string[];
  table?: { head: string[]; rows: string[][] };
  /** A numbered list, e.g. every missing material at once (一次性告知). */
  items?: string[];
  issuer: string;
  /** YYYY-MM-DD, printed 2026年11月21日. */
  date: string;
  qrUrl?: string;
  qrCaption?: string;
};

const require = createRequire(import.meta.url);
const fontPaths = {
  regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
};
const fontCache = new Map<string, Promise<Buffer>>();
function fontFile(kind: keyof typeof fontPaths): Promise<Buffer> {
  let p = fontCache.get(kind);
  if (!p) {
    p = readFile(fontPaths[kind]);
    fontCache.set(kind, p);
  }
  return p;
}

/**
 * The 6,763 hanzi of GB 2312 plus ASCII and CJK punctuation: nearly every character an official notice uses.
 * Subsetting the 10 MB Noto font takes ~40 ms; subsetting this ~2 MB base (built once per weight) ~7 ms.
 * A document with a character outside it is subset from the full font instead.
 */
function commonCharacters(): string {
  const gb = new TextDecoder('gb18030');
  const chars: string[] = [];
  for (let hi = 0xb0; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) chars.push(gb.decode(Uint8Array.from([hi, lo])));
  }
  for (let c = 0x20; c < 0x7f; c++) chars.push(String.fromCharCode(c));
  for (let c = 0x3000; c < 0x3040; c++) chars.push(String.fromCharCode(c));
  for (let c = 0xff01; c < 0xff5f; c++) chars.push(String.fromCharCode(c));
  chars.push(...'“”‘’—…·');
  return [...new Set(chars.filter((ch) => ch.length === 1))].join('');
}
let common: Set<string> | undefined;
const baseCache = new Map<string, Promise<Buffer>>();
function baseFont(kind: keyof typeof fontPaths): Promise<Buffer> {
  let p = baseCache.get(kind);
  if (!p) {
    const chars = commonCharacters();
    common ??= new Set(chars);
    p = fontFile(kind).then((full) => subsetFont(full, chars, { targetFormat: 'truetype' }));
    baseCache.set(kind, p);
  }
  return p;
}

async function subsetFor(kind: keyof typeof fontPaths, text: string): Promise<Buffer> {
  const base = await baseFont(kind);
  const inBase = [...text].every((ch) => common?.has(ch) || ch === '\n');
  return subsetFont(inBase ? base : await fontFile(kind), text, { targetFormat: 'truetype' });
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = { top: 72, bottom: 72, left: 72, right: 72 };
const BODY = 12;
const LINE = 1.75;
/** 避头尾: characters that must not start a line. */
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕,.;:?!)]}%']);

function civil(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Break text into lines that fit `width`, character by character (CJK), keeping 避头尾 punctuation. */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const ch of para) {
      const candidate = line + ch;
      if (font.widthOfTextAtSize(candidate, size) <= width || line.length === 0) {
        line = candidate;
        continue;
      }
      if (NO_LINE_START.has(ch)) {
        // Hang the punctuation at the end of the line rather than start the next with it.
        line = candidate;
        continue;
      }
      lines.push(line);
      line = ch;
    }
    lines.push(line);
  }
  return lines;
}

function allText(doc: OfficialDocument, pagesGuess: number): string {
  const pageLabels = Array.from({ length: pagesGuess }, (_, i) => `第 ${i + 1} 页 共 ${pagesGuess} 页`).join(
    '',
  );
  return [
    doc.title,
    doc.docNumber ?? '',
    doc.caseNumber,
    doc.recipient ?? '',
    ...doc.paragraphs,
    ...(doc.items ?? []).map((x, i) => `${i + 1}. ${x}`),
    ...(doc.table ? [...doc.table.head, ...doc.table.rows.flat()] : []),
    doc.issuer,
    civil(doc.date),
    doc.qrCaption ?? '',
    '办件编号:',
    pageLabels,
    '0123456789（）()〔〕:：-—.。,，',
  ].join('');
}

export async function renderDocument(doc: OfficialDocument): Promise<Uint8Array> {
  // Page numbers need their digits in the subset whatever the page count: allText adds all digits.
  const chars = allText(doc, 1);
  const [regSub, boldSub] = await Promise.all([
    subsetFor('regular', chars),
    subsetFor('bold', `${doc.title}${doc.issuer}`),
  ]);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(doc.title);
  pdf.setCreator('Tongban 通办');
  const font = await pdf.embedFont(regSub, { subset: false });
  const heading = await pdf.embedFont(boldSub, { subset: false });
  const width = A4[0] - MARGIN.left - MARGIN.right;
  const black = rgb(0, 0, 0);

  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;
  const newPage = () => {
    page = pdf.addPage(A4);
    pages.push(page);
    y = A4[1] - MARGIN.top;
  };
  const ensure = (h: number) => {
    if (y - h < MARGIN.bottom + 40) newPage();
  };
  const line = (text: string, opts: { size?: number; indent?: number; f?: PDFFont } = {}) => {
    const size = opts.size ?? BODY;
    const f = opts.f ?? font;
    for (const l of wrap(text, f, size, width - (opts.indent ?? 0))) {
      ensure(size * LINE);
      page.drawText(l, { x: MARGIN.left + (opts.indent ?? 0), y: y - size, size, font: f, color: black });
      y -= size * LINE;
    }
  };

  newPage();
  const titleSize = 20;
  const titleWidth = heading.widthOfTextAtSize(doc.title, titleSize);
  page.drawText(doc.title, {
    x: (A4[0] - titleWidth) / 2,
    y: y - titleSize,
    size: titleSize,
    font: heading,
    color: black,
  });
  y -= titleSize * 2;
  if (doc.docNumber) {
    const w = font.widthOfTextAtSize(doc.docNumber, BODY);
    page.drawText(doc.docNumber, { x: (A4[0] - w) / 2, y: y - BODY, size: BODY, font, color: black });
    y -= BODY * 2;
  }
  if (doc.recipient) line(doc.recipient);
  y -= BODY * 0.5;
  for (const p of doc.paragraphs) line(`　　${p}`);
  if (doc.items?.length) {
    y -= BODY * 0.5;
    for (const [i, item] of doc.items.entries()) line(`${i + 1}. ${item}`, { indent: BODY * 2 });
  }
  if (doc.table) {
    y -= BODY;
    const cols = doc.table.head.length;
    const colW = width / cols;
    const drawRow = (cells: string[], f: PDFFont) => {
      const wrapped = cells.map((c) => wrap(c, f, BODY - 1, colW - 8));
      const h = Math.max(...wrapped.map((w) => w.length)) * (BODY - 1) * 1.5 + 8;
      ensure(h);
      wrapped.forEach((lines, ci) => {
        const x = MARGIN.left + ci * colW;
        page.drawRectangle({ x, y: y - h, width: colW, height: h, borderColor: black, borderWidth: 0.5 });
        for (const [li, l] of lines.entries()) {
          page.drawText(l, {
            x: x + 4,
            y: y - 4 - (li + 1) * (BODY - 1) * 1.5 + 3,
            size: BODY - 1,
            font: f,
            color: black,
          });
        }
      });
      y -= h;
    };
    drawRow(doc.table.head, font);
    for (const row of doc.table.rows) drawRow(row, font);
  }

  // Issuer and date on the right, the QR code on the left of the same block.
  const qrSize = 84;
  ensure(Math.max(qrSize + 30, BODY * 5));
  y -= BODY * 2;
  const blockTop = y;
  for (const text of [doc.issuer, civil(doc.date)]) {
    const f = text === doc.issuer ? heading : font;
    const w = f.widthOfTextAtSize(text, BODY);
    page.drawText(text, { x: A4[0] - MARGIN.right - w, y: y - BODY, size: BODY, font: f, color: black });
    y -= BODY * LINE;
  }
  if (doc.qrUrl) {
    const qr = QRCode.create(doc.qrUrl, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const cell = qrSize / n;
    const x0 = MARGIN.left;
    const y0 = blockTop - qrSize;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        if (qr.modules.get(r, c)) {
          page.drawRectangle({
            x: x0 + c * cell,
            y: y0 + (n - 1 - r) * cell,
            width: cell,
            height: cell,
            color: black,
          });
        }
      }
    }
    if (doc.qrCaption)
      page.drawText(doc.qrCaption, { x: x0, y: y0 - BODY * 1.4, size: BODY - 3, font, color: black });
  }

  // Case number and page numbers on every page.
  const total = pages.length;
  pages.forEach((p, i) => {
    const footer = `办件编号:${doc.caseNumber}`;
    p.drawText(footer, { x: MARGIN.left, y: MARGIN.bottom / 2, size: 9, font, color: black });
    const label = `第 ${i + 1} 页 共 ${total} 页`;
    const w = font.widthOfTextAtSize(label, 9);
    p.drawText(label, { x: A4[0] - MARGIN.right - w, y: MARGIN.bottom / 2, size: 9, font, color: black });
  });
  return pdf.save();
}
