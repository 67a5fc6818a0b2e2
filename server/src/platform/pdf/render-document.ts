import fontkit from '@pdf-lib/fontkit';
import { type Color, PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { subsetFor } from './fonts.js';
import { type Measure, wrapText } from './line-break.js';
import { qrMatrix, qrPath } from './qr.js';

/**
 * A printable official document: notices (受理通知书, 补正告知书, 不予受理决定书, special-stage notices) and
 * decisions (准予/不予许可决定书). Everything on it is text the caller has already put in the reader's language;
 * the builder adds only the case number, page numbers, the date in words and the default QR caption.
 */
export type OfficialDocument = {
  title: string;
  /** 文号, e.g. 二七市监受字〔2026〕第 00012 号; printed under the title. */
  docNumber?: string;
  /** 统一办件编号, printed at the top of every page. */
  caseNumber: string;
  /** Addressee (申请人), printed as the salutation "张三：". */
  recipient?: string;
  /** Body paragraphs, in order; a "\n" inside one breaks the line. */
  paragraphs: string[];
  /** Numbered list after the paragraphs, e.g. every missing material at once (一次性告知). */
  items?: string[];
  /** A table after the list; the head repeats on every page the table reaches. */
  table?: { head: string[]; rows: string[][] };
  /** Paragraphs after the list and table: time limits, remedies (复议/诉讼 rights), contact. */
  closing?: string[];
  /** 发文机关署名, printed above the date. */
  issuer: string;
  /** YYYY-MM-DD; printed as 2026年11月21日 (en-US: 21 November 2026). */
  date: string;
  /** A QR code to the public progress page. */
  qrUrl?: string;
  /** Under the QR code; defaults to "扫码查询办理进度". */
  qrCaption?: string;
  locale?: 'zh-CN' | 'en-US';
};

type Locale = NonNullable<OfficialDocument['locale']>;

const LABELS: Record<
  Locale,
  {
    caseNumber: string;
    page: (n: number, total: number) => string;
    date: (y: number, m: number, d: number) => string;
    qrCaption: string;
    salutation: (name: string) => string;
    /** Chinese paragraphs open with a two-character indent; English ones are set flush with a gap between. */
    indentParagraphs: boolean;
  }
> = {
  'zh-CN': {
    caseNumber: '办件编号：',
    page: (n, total) => `第 ${n} 页 共 ${total} 页`,
    date: (y, m, d) => `${y}年${m}月${d}日`,
    qrCaption: '扫码查询办理进度',
    salutation: (name) => (/[：:]$/.test(name) ? name : `${name}：`),
    indentParagraphs: true,
  },
  'en-US': {
    caseNumber: 'Case No. ',
    page: (n, total) => `Page ${n} of ${total}`,
    date: (y, m, d) =>
      `${d} ${
        [
          'January',
          'February',
          'March',
          'April',
          'May',
          'June',
          'July',
          'August',
          'September',
          'October',
          'November',
          'December',
        ][m - 1]
      } ${y}`,
    qrCaption: 'Scan to track progress',
    salutation: (name) => (/[：:,]$/.test(name) ? name : `${name}:`),
    indentParagraphs: false,
  },
};

const MM = 72 / 25.4;
/** A4, with the margins of GB/T 9704 (党政机关公文格式): top 37, bottom 35, left 28, right 26 mm. */
const PAGE = {
  width: 210 * MM,
  height: 297 * MM,
  top: 37 * MM,
  bottom: 35 * MM,
  left: 28 * MM,
  right: 26 * MM,
};
const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;

const SIZE = {
  title: 22,
  certificateTitle: 26,
  docNumber: 14,
  body: 14,
  table: 12,
  header: 10,
  footer: 10,
  caption: 10,
  url: 8,
};
const LEADING = { body: 1.75, table: 1.45, small: 1.4 };
const CELL_PADDING = 4;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.3, 0.3, 0.3);
const RULE = rgb(0.55, 0.55, 0.55);
const HEAD_FILL = rgb(0.92, 0.92, 0.92);

type Variant = 'notice' | 'certificate';

/** Render a notice or decision as an A4 PDF. The same document always gives the same bytes. */
export function renderDocument(doc: OfficialDocument): Promise<Uint8Array> {
  return render(doc, 'notice');
}

/** A licence or decision sheet: the same layout inside a double frame, with a larger title. */
export function renderCertificate(doc: OfficialDocument): Promise<Uint8Array> {
  return render(doc, 'certificate');
}

function parseDate(date: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [y, m, d] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (!match || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new Error(`OfficialDocument.date must be a YYYY-MM-DD date, got "${date}"`);
  }
  return { y, m, d };
}

async function render(doc: OfficialDocument, variant: Variant): Promise<Uint8Array> {
  const labels = LABELS[doc.locale ?? 'zh-CN'];
  const { y, m, d } = parseDate(doc.date);
  const dateText = labels.date(y, m, d);
  const qrCaption = doc.qrCaption ?? labels.qrCaption;

  const regularText = [
    doc.docNumber ?? '',
    doc.caseNumber,
    labels.caseNumber,
    labels.page(0, 0),
    doc.recipient ? labels.salutation(doc.recipient) : '',
    ...doc.paragraphs,
    ...(doc.items ?? []),
    ...(doc.table?.rows.flat() ?? []),
    ...(doc.closing ?? []),
    doc.issuer,
    dateText,
    doc.qrUrl ? `${qrCaption}${doc.qrUrl}` : '',
  ].join('');
  const boldText = doc.title + (doc.table?.head.join('') ?? '');
  const [regularBytes, boldBytes] = await Promise.all([
    subsetFor('regular', regularText),
    subsetFor('bold', boldText),
  ]);

  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(regularBytes, { subset: false });
  const bold = await pdf.embedFont(boldBytes, { subset: false });

  // Fixed metadata dates keep the output byte-for-byte reproducible, so the file store dedupes re-renders.
  const issued = new Date(`${doc.date}T00:00:00+08:00`);
  pdf.setTitle(doc.title);
  pdf.setSubject(doc.caseNumber);
  pdf.setCreator('Tongban 通办');
  pdf.setProducer('Tongban 通办');
  pdf.setLanguage(doc.locale ?? 'zh-CN');
  pdf.setCreationDate(issued);
  pdf.setModificationDate(issued);

  const c = compose(pdf, { regular, bold }, doc, variant);

  c.title(doc.title, variant === 'certificate' ? SIZE.certificateTitle : SIZE.title);
  if (doc.docNumber) c.centered(doc.docNumber, regular, SIZE.docNumber);
  c.gap(SIZE.body);
  if (doc.recipient) c.paragraph(labels.salutation(doc.recipient), 0);
  for (const p of doc.paragraphs) c.paragraph(p, labels.indentParagraphs ? 2 : 0);
  if (doc.items && doc.items.length > 0) c.items(doc.items, labels.indentParagraphs ? 2 : 0);
  if (doc.table && doc.table.head.length > 0) c.table(doc.table.head, doc.table.rows);
  for (const p of doc.closing ?? []) c.paragraph(p, labels.indentParagraphs ? 2 : 0);
  c.signature(doc.issuer, dateText, doc.qrUrl ? { url: doc.qrUrl, caption: qrCaption } : undefined);
  c.finish();

  return pdf.save();
}

type Fonts = { regular: PDFFont; bold: PDFFont };

/** Lays content out top to bottom, page after page; `y` is the top of the room left on the current page. */
function compose(pdf: PDFDocument, fonts: Fonts, doc: OfficialDocument, variant: Variant) {
  const labels = LABELS[doc.locale ?? 'zh-CN'];
  const pages: PDFPage[] = [];
  const left = PAGE.left;
  const right = PAGE.width - PAGE.right;

  const measures = new Map<string, Measure>();
  function measure(font: PDFFont, size: number): Measure {
    const key = `${font.name}/${size}`;
    let fn = measures.get(key);
    if (!fn) {
      const widths = new Map<string, number>();
      fn = (s: string) => {
        let w = widths.get(s);
        if (w === undefined) {
          w = font.widthOfTextAtSize(s, size);
          widths.set(s, w);
        }
        return w;
      };
      measures.set(key, fn);
    }
    return fn;
  }

  let page: PDFPage = newPage();
  let y = PAGE.height - PAGE.top;

  function newPage(): PDFPage {
    const p = pdf.addPage([PAGE.width, PAGE.height]);
    pages.push(p);
    if (variant === 'certificate') {
      const frame = (inset: number, thickness: number) =>
        p.drawRectangle({
          x: inset,
          y: inset,
          width: PAGE.width - 2 * inset,
          height: PAGE.height - 2 * inset,
          borderColor: BLACK,
          borderWidth: thickness,
        });
      frame(12 * MM, 1.6);
      frame(13.5 * MM, 0.5);
    }
    const header = `${labels.caseNumber}${doc.caseNumber}`;
    const width = measure(fonts.regular, SIZE.header)(header);
    p.drawText(header, {
      x: PAGE.width - PAGE.right - width,
      y: PAGE.height - 22 * MM,
      size: SIZE.header,
      font: fonts.regular,
      color: GREY,
    });
    p.drawLine({
      start: { x: PAGE.left, y: PAGE.height - 24 * MM },
      end: { x: PAGE.width - PAGE.right, y: PAGE.height - 24 * MM },
      thickness: 0.5,
      color: RULE,
    });
    return p;
  }

  function breakPage(): void {
    page = newPage();
    y = PAGE.height - PAGE.top;
  }

  /** Start a new page unless `height` fits in what is left of this one. */
  function ensure(height: number): void {
    if (y - height < PAGE.bottom) breakPage();
  }

  function drawLine(
    text: string,
    x: number,
    top: number,
    lineHeight: number,
    font: PDFFont,
    size: number,
    color: Color = BLACK,
  ) {
    if (!text) return;
    // Centre the em box (0.88 em above the baseline, 0.12 below for Noto Sans SC) in the line.
    page.drawText(text, { x, y: top - lineHeight / 2 - 0.38 * size, size, font, color });
  }

  function title(text: string, size: number): void {
    const lineHeight = size * 1.5;
    for (const line of wrapText(
      text,
      { first: CONTENT_WIDTH, rest: CONTENT_WIDTH },
      measure(fonts.bold, size),
    )) {
      const w = measure(fonts.bold, size)(line);
      drawLine(line, left + (CONTENT_WIDTH - w) / 2, y, lineHeight, fonts.bold, size);
      y -= lineHeight;
    }
    y -= size * 0.4;
  }

  function centered(text: string, font: PDFFont, size: number): void {
    const lineHeight = size * LEADING.body;
    for (const line of wrapText(text, { first: CONTENT_WIDTH, rest: CONTENT_WIDTH }, measure(font, size))) {
      ensure(lineHeight);
      drawLine(line, left + (CONTENT_WIDTH - measure(font, size)(line)) / 2, y, lineHeight, font, size);
      y -= lineHeight;
    }
  }

  function gap(height: number): void {
    y -= height;
  }

  /** A paragraph whose first line is indented by `indentEm` characters. */
  function paragraph(text: string, indentEm: number): void {
    const size = SIZE.body;
    const lineHeight = size * LEADING.body;
    const indent = indentEm * size;
    const lines = wrapText(
      text,
      { first: CONTENT_WIDTH - indent, rest: CONTENT_WIDTH },
      measure(fonts.regular, size),
    );
    lines.forEach((line, i) => {
      ensure(lineHeight);
      drawLine(line, left + (i === 0 ? indent : 0), y, lineHeight, fonts.regular, size);
      y -= lineHeight;
    });
    if (indentEm === 0) y -= size * 0.4;
  }

  /** A numbered list with hanging indent: wrapped lines align with the text after the number. */
  function items(list: string[], indentEm: number): void {
    const size = SIZE.body;
    const lineHeight = size * LEADING.body;
    const m = measure(fonts.regular, size);
    const numberX = left + indentEm * size;
    const textX = numberX + m(`${list.length}. `);
    const width = right - textX;
    list.forEach((item, i) => {
      const lines = wrapText(item, { first: width, rest: width }, m);
      // A short item stays on one page, so its number and its text are read together.
      if (lines.length <= 4) ensure(lines.length * lineHeight);
      lines.forEach((line, j) => {
        ensure(lineHeight);
        if (j === 0) drawLine(`${i + 1}.`, numberX, y, lineHeight, fonts.regular, size);
        drawLine(line, textX, y, lineHeight, fonts.regular, size);
        y -= lineHeight;
      });
    });
    y -= size * 0.4;
  }

  function columnWidths(head: string[], rows: string[][]): number[] {
    const n = head.length;
    const pad = 2 * CELL_PADDING;
    const natural = head.map((h, col) => {
      const cells = [
        measure(fonts.bold, SIZE.table)(h),
        ...rows.map((r) => measure(fonts.regular, SIZE.table)(r[col] ?? '')),
      ];
      return Math.max(...cells) + pad;
    });
    const total = natural.reduce((a, b) => a + b, 0);
    if (total <= CONTENT_WIDTH) return natural.map((w) => (w * CONTENT_WIDTH) / total);
    // Too wide: every column gets up to a fair share, the rest goes to the wide ones by how much they want.
    const fair = CONTENT_WIDTH / n;
    const base = natural.map((w) => Math.min(w, fair));
    const spare = CONTENT_WIDTH - base.reduce((a, b) => a + b, 0);
    const want = natural.map((w, i) => w - base[i]);
    const wanted = want.reduce((a, b) => a + b, 0);
    return base.map((b, i) => b + (wanted > 0 ? (spare * want[i]) / wanted : 0));
  }

  function table(head: string[], rows: string[][]): void {
    const size = SIZE.table;
    const lineHeight = size * LEADING.table;
    const widths = columnWidths(head, rows);
    const wrapCells = (cells: string[], font: PDFFont) =>
      widths.map((w, col) => {
        const inner = w - 2 * CELL_PADDING;
        return wrapText(cells[col] ?? '', { first: inner, rest: inner }, measure(font, size));
      });
    const headLines = wrapCells(head, fonts.bold);

    /** Draw lines [from, to) of a row's cells as one band, with its borders. */
    function band(cellLines: string[][], from: number, to: number, font: PDFFont, fill?: Color): void {
      const height = (to - from) * lineHeight + 2 * CELL_PADDING;
      let x = left;
      widths.forEach((w, col) => {
        page.drawRectangle({
          x,
          y: y - height,
          width: w,
          height,
          borderColor: RULE,
          borderWidth: 0.6,
          ...(fill ? { color: fill } : {}),
        });
        cellLines[col].slice(from, to).forEach((line, k) => {
          drawLine(line, x + CELL_PADDING, y - CELL_PADDING - k * lineHeight, lineHeight, font, size);
        });
        x += w;
      });
      y -= height;
    }

    const rowsOf = (lines: string[][]) => Math.max(1, ...lines.map((l) => l.length));
    const headRows = rowsOf(headLines);
    const headHeight = headRows * lineHeight + 2 * CELL_PADDING;
    const drawHead = () => band(headLines, 0, headRows, fonts.bold, HEAD_FILL);
    const roomLines = () => Math.floor((y - PAGE.bottom - 2 * CELL_PADDING) / lineHeight);
    const freshRoomLines = Math.floor(
      (PAGE.height - PAGE.top - PAGE.bottom - headHeight - 2 * CELL_PADDING) / lineHeight,
    );

    ensure(headHeight + lineHeight + 2 * CELL_PADDING);
    drawHead();
    for (const row of rows) {
      const lines = wrapCells(row, fonts.regular);
      const total = rowsOf(lines);
      let from = 0;
      while (from < total) {
        const room = roomLines();
        const rest = total - from;
        // Keep a row whole when it fits on a fresh page; split only rows taller than a page.
        const mustSplit = from > 0 || total > freshRoomLines;
        if (rest <= room) {
          band(lines, from, total, fonts.regular);
          from = total;
        } else if (mustSplit && room >= 1) {
          band(lines, from, from + room, fonts.regular);
          from += room;
        }
        if (from < total) {
          breakPage();
          drawHead();
        }
      }
    }
    y -= SIZE.body * 0.6;
  }

  /**
   * The issuer above the date at the right (日期右空二字, 署名居中于日期之上), after room for the seal, and the QR
   * code at the left with its caption and address beside it. Kept together on one page.
   */
  function signature(issuer: string, date: string, qr?: { url: string; caption: string }): void {
    const size = SIZE.body;
    const lineHeight = size * LEADING.body;
    const m = measure(fonts.regular, size);
    const dateRight = right - 2 * size;
    const dateX = dateRight - m(date);
    const issuerLines = wrapText(issuer, { first: CONTENT_WIDTH * 0.6, rest: CONTENT_WIDTH * 0.6 }, m);
    const blockLeft = Math.min(dateX, ...issuerLines.map((l) => dateRight - m(l)));
    const signatureHeight = (issuerLines.length + 1) * lineHeight;

    let qrBlock:
      | { side: number; captionLines: string[]; urlLines: string[]; height: number; besides: boolean }
      | undefined;
    const matrix = qr ? qrMatrix(qr.url) : undefined;
    if (qr && matrix) {
      const side = Math.max(72, matrix.size * 2);
      const quiet = (4 * side) / matrix.size;
      const besides = blockLeft - (left + side + quiet) >= 100;
      const captionWidth = besides ? blockLeft - (left + side + quiet) - 12 : CONTENT_WIDTH - side - quiet;
      const captionLines = wrapText(
        qr.caption,
        { first: captionWidth, rest: captionWidth },
        measure(fonts.regular, SIZE.caption),
      );
      const urlLines = wrapText(
        qr.url,
        { first: captionWidth, rest: captionWidth },
        measure(fonts.regular, SIZE.url),
      );
      const textHeight =
        captionLines.length * SIZE.caption * LEADING.small + urlLines.length * SIZE.url * LEADING.small;
      qrBlock = { side, captionLines, urlLines, height: Math.max(side, textHeight), besides };
    }

    const sealRoom = 2 * lineHeight;
    const together = qrBlock?.besides
      ? Math.max(signatureHeight, qrBlock.height)
      : signatureHeight + (qrBlock ? qrBlock.height + lineHeight : 0);
    ensure(sealRoom + together);
    y -= sealRoom;
    const top = y;

    issuerLines.forEach((line, i) => {
      const centre = (dateX + dateRight) / 2;
      const w = m(line);
      const x = Math.min(centre - w / 2, dateRight - w);
      drawLine(line, Math.max(x, blockLeft), top - i * lineHeight, lineHeight, fonts.regular, size);
    });
    drawLine(date, dateX, top - issuerLines.length * lineHeight, lineHeight, fonts.regular, size);

    if (qrBlock && matrix) {
      const qrTop = qrBlock.besides ? top : top - signatureHeight - lineHeight;
      const module = qrBlock.side / matrix.size;
      page.drawSvgPath(qrPath(matrix), { x: left, y: qrTop, scale: module, color: BLACK });
      const textX = left + qrBlock.side + 4 * module;
      let ty = qrTop;
      for (const line of qrBlock.captionLines) {
        drawLine(line, textX, ty, SIZE.caption * LEADING.small, fonts.regular, SIZE.caption);
        ty -= SIZE.caption * LEADING.small;
      }
      for (const line of qrBlock.urlLines) {
        drawLine(line, textX, ty, SIZE.url * LEADING.small, fonts.regular, SIZE.url, GREY);
        ty -= SIZE.url * LEADING.small;
      }
      y = Math.min(top - signatureHeight, qrTop - qrBlock.height);
    } else {
      y = top - signatureHeight;
    }
  }

  /** Page numbers go on last, when the count is known. */
  function finish(): void {
    const m = measure(fonts.regular, SIZE.footer);
    pages.forEach((p, i) => {
      const text = labels.page(i + 1, pages.length);
      p.drawText(text, {
        x: (PAGE.width - m(text)) / 2,
        y: 20 * MM,
        size: SIZE.footer,
        font: fonts.regular,
        color: BLACK,
      });
    });
  }

  return { title, centered, gap, paragraph, items, table, signature, finish };
}
