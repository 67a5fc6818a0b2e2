import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Test helpers that look at a PDF the way a reader does, through poppler (Debian poppler-utils): the text layer
 * with `pdftotext` and the printed page with `pdftoppm`. Text extraction alone cannot see glyphs that print
 * blank, so tests compare the two.
 */

const run = promisify(execFile);

async function withFile<T>(bytes: Uint8Array, fn: (path: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tb-pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    await writeFile(path, bytes);
    return await fn(path, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text layer of each page, in reading order. */
export async function pdfPagesText(bytes: Uint8Array): Promise<string[]> {
  return withFile(bytes, async (path) => {
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', path, '-'], { maxBuffer: 64 << 20 });
    // pdftotext ends every page with a form feed.
    return stdout.split('\f').slice(0, -1);
  });
}

export type Word = { text: string; xMin: number; yMin: number; xMax: number; yMax: number };
export type PageWords = { width: number; height: number; words: Word[] };

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** Every word with its box in points, origin at the top left of the page. */
export async function pdfWords(bytes: Uint8Array): Promise<PageWords[]> {
  return withFile(bytes, async (path) => {
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', '-bbox', path, '-'], { maxBuffer: 64 << 20 });
    const pages: PageWords[] = [];
    const tag =
      /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
    for (const m of stdout.matchAll(tag)) {
      if (m[1]) pages.push({ width: Number(m[1]), height: Number(m[2]), words: [] });
      else
        pages.at(-1)?.words.push({
          text: m[7].replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]),
          xMin: Number(m[3]),
          yMin: Number(m[4]),
          xMax: Number(m[5]),
          yMax: Number(m[6]),
        });
    }
    return pages;
  });
}

/** One page rendered in grey levels (0 black … 255 white). */
export type Raster = { width: number; height: number; dpi: number; pixels: Uint8Array };

/** Print page `page` (1-based) at `dpi` with pdftoppm and read its PGM output. */
export async function rasterise(bytes: Uint8Array, page: number, dpi: number): Promise<Raster> {
  return withFile(bytes, async (path, dir) => {
    const out = join(dir, 'page');
    await run('pdftoppm', [
      '-gray',
      '-r',
      String(dpi),
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      path,
      out,
    ]);
    return { ...parsePgm(await readFile(`${out}.pgm`)), dpi };
  });
}

/** Binary PGM (P5, maxval 255): a text header of magic, width, height and maxval, then one byte per pixel. */
export function parsePgm(file: Uint8Array): { width: number; height: number; pixels: Uint8Array } {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(file[i]))) i++;
    if (file[i] === 0x23) {
      while (file[i] !== 0x0a) i++;
      continue;
    }
    let field = '';
    while (!/\s/.test(String.fromCharCode(file[i]))) field += String.fromCharCode(file[i++]);
    fields.push(field);
  }
  const [magic, width, height, maxval] = fields;
  if (magic !== 'P5' || maxval !== '255') throw new Error(`not an 8-bit binary PGM: ${magic} ${maxval}`);
  const w = Number(width);
  const h = Number(height);
  return { width: w, height: h, pixels: file.subarray(i + 1, i + 1 + w * h) };
}

/** A box in points, origin top left (as pdftotext reports them). */
export type Box = { xMin: number; yMin: number; xMax: number; yMax: number };

/** How many pixels inside `box` are darker than `threshold`. */
export function darkPixels(r: Raster, box: Box, threshold = 160): number {
  const s = r.dpi / 72;
  const x0 = Math.max(0, Math.floor(box.xMin * s));
  const x1 = Math.min(r.width, Math.ceil(box.xMax * s));
  const y0 = Math.max(0, Math.floor(box.yMin * s));
  const y1 = Math.min(r.height, Math.ceil(box.yMax * s));
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) if (r.pixels[y * r.width + x] < threshold) n++;
  }
  return n;
}

/** The smallest box (in points) holding every dark pixel inside `within`, or null when there is none. */
export function inkBox(r: Raster, within: Box, threshold = 128): Box | null {
  const s = r.dpi / 72;
  let found: { x0: number; y0: number; x1: number; y1: number } | null = null;
  for (
    let y = Math.max(0, Math.floor(within.yMin * s));
    y < Math.min(r.height, Math.ceil(within.yMax * s));
    y++
  ) {
    for (
      let x = Math.max(0, Math.floor(within.xMin * s));
      x < Math.min(r.width, Math.ceil(within.xMax * s));
      x++
    ) {
      if (r.pixels[y * r.width + x] >= threshold) continue;
      if (!found) found = { x0: x, y0: y, x1: x, y1: y };
      found.x0 = Math.min(found.x0, x);
      found.x1 = Math.max(found.x1, x);
      found.y0 = Math.min(found.y0, y);
      found.y1 = Math.max(found.y1, y);
    }
  }
  return (
    found && { xMin: found.x0 / s, yMin: found.y0 / s, xMax: (found.x1 + 1) / s, yMax: (found.y1 + 1) / s }
  );
}

const HAN = /\p{Script=Han}/u;
/** Characters one em wide: Han, CJK punctuation, full-width forms. */
const WIDE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/**
 * The Chinese characters of the text layer that print nothing. A word of full-width characters is cut into one
 * cell per character (each one em wide) and a Han character whose cell holds no dark pixel is reported; a word
 * mixing in narrow characters is reported whole when its box holds no dark pixel.
 */
export function blankHanCharacters(r: Raster, words: Word[]): string[] {
  const blank: string[] = [];
  for (const w of words) {
    const chars = [...w.text];
    if (!chars.some((ch) => HAN.test(ch))) continue;
    if (!chars.every((ch) => WIDE.test(ch))) {
      if (darkPixels(r, w) === 0) blank.push(w.text);
      continue;
    }
    const cell = (w.xMax - w.xMin) / chars.length;
    chars.forEach((ch, i) => {
      if (!HAN.test(ch)) return;
      const box = { xMin: w.xMin + i * cell, xMax: w.xMin + (i + 1) * cell, yMin: w.yMin, yMax: w.yMax };
      if (darkPixels(r, box) === 0) blank.push(ch);
    });
  }
  return blank;
}
