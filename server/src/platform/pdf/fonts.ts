import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import subsetFont from 'subset-font';

/**
 * The document font: Noto Sans SC (SIL OFL 1.1) from @expo-google-fonts/noto-sans-sc, one 10.6 MB TrueType file
 * per weight. pdf-lib's own subsetting drops CJK glyphs (the text extracts but the page prints blank), so each
 * document gets a subset made here with harfbuzz (subset-font) holding exactly its characters, and pdf-lib
 * embeds that small font whole (`subset: false`).
 */
export type FontWeight = 'regular' | 'bold';

const FONT_FILES: Record<FontWeight, string> = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

/** Always in a subset, so labels, numbers and Latin text never fall back to a missing glyph. */
const BASE_CHARACTERS = (() => {
  let ascii = '';
  for (let c = 0x20; c <= 0x7e; c++) ascii += String.fromCharCode(c);
  return `${ascii}，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·％　`;
})();

const require = createRequire(import.meta.url);
/** Kept as Buffers: subset-font's format sniffing reads a Buffer's signature and misreads a plain Uint8Array. */
const fullFonts = new Map<FontWeight, Promise<Buffer>>();

function loadFullFont(weight: FontWeight): Promise<Buffer> {
  let font = fullFonts.get(weight);
  if (!font) {
    font = readFile(require.resolve(FONT_FILES[weight]));
    // A failed read (missing package) is not cached, so the next document tries again.
    font.catch(() => fullFonts.delete(weight));
    fullFonts.set(weight, font);
  }
  return font;
}

/**
 * Without its layout tables the subset maps every character to one glyph through cmap. With them, fontkit (in
 * pdf-lib) applies GSUB features such as frac/numr to digits in Latin runs and draws glyphs that pdf-lib leaves
 * out of the PDF's width and ToUnicode tables: those digits print 1 em apart and vanish from copied text.
 * Horizontal Chinese needs no shaping; Latin text loses only its kerning.
 */
const LAYOUT_TABLES = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'JSTF', 'vhea', 'vmtx', 'VORG'];

/**
 * The 6,763 hanzi of GB 2312 with ASCII, CJK punctuation and full-width forms: nearly every character of an
 * official notice. Each weight is cut down to these once (a ~2 MB font); a document's subset is then made
 * from that instead of the 10.6 MB original, several times faster. A document with a character outside it
 * (a rare name character, say) is subset from the full font.
 */
function commonCharacters(): string {
  const gb2312 = new TextDecoder('gb18030');
  let chars = BASE_CHARACTERS;
  for (let hi = 0xb0; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) chars += gb2312.decode(Uint8Array.of(hi, lo));
  }
  for (let c = 0x3000; c < 0x3040; c++) chars += String.fromCharCode(c);
  for (let c = 0xff01; c < 0xff5f; c++) chars += String.fromCharCode(c);
  // The five unassigned GB 2312 codes (D7FA–D7FE) decode to private-use characters the font lacks: harmless.
  return [...new Set(chars)].join('');
}

let common: Set<string> | undefined;
const commonFonts = new Map<FontWeight, Promise<Buffer>>();

function commonFont(weight: FontWeight): Promise<Buffer> {
  let font = commonFonts.get(weight);
  if (!font) {
    const chars = commonCharacters();
    common ??= new Set(chars);
    font = loadFullFont(weight).then((full) =>
      subsetFont(full, chars, { targetFormat: 'truetype', noLayoutClosure: true, dropTables: LAYOUT_TABLES }),
    );
    font.catch(() => commonFonts.delete(weight));
    commonFonts.set(weight, font);
  }
  return font;
}

const CACHE_SIZE = 64;
/** Subsets by weight and character set, least recently used first out. */
const subsets = new Map<string, Promise<Uint8Array>>();

/** The distinct characters of `text` plus the base set, sorted: the cache key and the subset's content. */
export function characterSet(text: string): string {
  return [...new Set(BASE_CHARACTERS + text.replace(/\s/g, ' '))].sort().join('');
}

/** A TrueType font with the glyphs of every character in `text` (and the base set), nothing else. */
export function subsetFor(weight: FontWeight, text: string): Promise<Uint8Array> {
  const chars = characterSet(text);
  const key = `${weight}\u0000${chars}`;
  const hit = subsets.get(key);
  if (hit) {
    subsets.delete(key);
    subsets.set(key, hit);
    return hit;
  }
  const made = (async () => {
    const base = await commonFont(weight);
    const inCommon = [...chars].every((ch) => common?.has(ch));
    const source = inCommon ? base : await loadFullFont(weight);
    const bytes = await subsetFont(source, chars, {
      targetFormat: 'truetype',
      noLayoutClosure: true,
      dropTables: LAYOUT_TABLES,
    });
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  })();
  made.catch(() => subsets.delete(key));
  subsets.set(key, made);
  if (subsets.size > CACHE_SIZE) {
    const oldest = subsets.keys().next().value;
    if (oldest !== undefined) subsets.delete(oldest);
  }
  return made;
}
