/**
 * Line breaking for Chinese (and mixed Latin) text. CJK text may break between any two characters; a Latin
 * word or number stays whole unless it alone is wider than the line. Simple 避头尾 (kinsoku): closing
 * punctuation never starts a line and opening brackets never end one.
 */

/** Characters that must not begin a line (避头). */
const NO_LINE_START = new Set([...'，。、；：？！）》」』】〕〉’”…—·％,.;:?!)]}%']);
/** Characters that must not end a line (避尾). */
const NO_LINE_END = new Set([...'（《「『【〔〈‘“([{']);

export type Measure = (text: string) => number;

type Token = { text: string; width: number; space: boolean };

/** Latin letters, digits and the ASCII punctuation that sits inside words, numbers, e-mails and URLs. */
const WORD_CHAR = /[A-Za-z0-9@#&*+\-=_/\\.,:;'"!?%~|^<>`$]/;

function tokenize(text: string, measure: Measure): Token[] {
  const tokens: Token[] = [];
  let word = '';
  const flush = () => {
    if (word) tokens.push({ text: word, width: measure(word), space: false });
    word = '';
  };
  for (const ch of text) {
    if (WORD_CHAR.test(ch)) {
      word += ch;
      continue;
    }
    flush();
    if (ch === ' ' || ch === '\t') tokens.push({ text: ' ', width: measure(' '), space: true });
    else tokens.push({ text: ch, width: measure(ch), space: false });
  }
  flush();
  return tokens;
}

/** Where a long word (a URL, an e-mail address) may break: after one of these, if there is one in reach. */
const SOFT_BREAK_AFTER = new Set([...'/-.?&=_@']);

/**
 * Split a token wider than a line into pieces: the first fits in `first` (what is left of the current line;
 * it goes to the next line when not even one character fits there), the others in `rest`.
 */
function splitWide(token: Token, first: number, rest: number, measure: Measure): Token[] {
  const pieces: Token[] = [];
  let piece: string[] = [];
  let max = first;
  for (const ch of token.text) {
    if (measure(piece.join('') + ch) > max) {
      if (piece.length === 0) {
        max = rest;
      } else {
        let cut = piece.length;
        for (let k = piece.length; k > piece.length / 2; k--) {
          if (SOFT_BREAK_AFTER.has(piece[k - 1])) {
            cut = k;
            break;
          }
        }
        const head = piece.slice(0, cut).join('');
        pieces.push({ text: head, width: measure(head), space: false });
        piece = piece.slice(cut);
        max = rest;
      }
    }
    piece.push(ch);
  }
  if (piece.length > 0) pieces.push({ text: piece.join(''), width: measure(piece.join('')), space: false });
  return pieces;
}

const startsBadly = (t: Token) => NO_LINE_START.has([...t.text][0] ?? '');
const endsBadly = (t: Token) => NO_LINE_END.has([...t.text].at(-1) ?? '');

/**
 * Wrap one paragraph. `widths.first` is the room on the first line (after any indent), `widths.rest` on the
 * following ones. A hard newline in the text starts a new line. Lines carry no leading or trailing spaces.
 */
export function wrapText(text: string, widths: { first: number; rest: number }, measure: Measure): string[] {
  const lines: string[] = [];
  for (const hard of text.replace(/\r\n?/g, '\n').split('\n')) {
    wrapHardLine(hard, widths, measure, lines);
  }
  return lines;
}

function wrapHardLine(
  text: string,
  widths: { first: number; rest: number },
  measure: Measure,
  out: string[],
): void {
  const room = () => (out.length === 0 ? widths.first : widths.rest);
  let line: Token[] = [];
  let lineWidth = 0;
  /** A space did not fit: the next word starts a new line (after the 避头尾 adjustments). */
  let mustBreak = false;

  const emit = (tokens: Token[]) => {
    while (tokens.length > 0 && tokens[tokens.length - 1].space) tokens.pop();
    out.push(tokens.map((t) => t.text).join(''));
    mustBreak = false;
  };
  const startLine = (tokens: Token[]) => {
    line = tokens;
    lineWidth = tokens.reduce((w, t) => w + t.width, 0);
  };

  const pending = tokenize(text, measure);
  if (pending.length === 0) {
    out.push('');
    return;
  }
  /** The index of the last token of the closing-punctuation run (spaces between included) after `i`. */
  const endOfClosingRun = (i: number) => {
    let end = i;
    for (let j = i + 1; j < pending.length; j++) {
      if (pending[j].space) continue;
      if (!startsBadly(pending[j])) break;
      end = j;
    }
    return end;
  };

  for (let i = 0; i < pending.length; i++) {
    const token = pending[i];
    const free = room() - lineWidth;
    if (token.space) {
      if (line.length === 0) continue;
      if (token.width > free) mustBreak = true;
      else if (!mustBreak) {
        line.push(token);
        lineWidth += token.width;
      }
      continue;
    }
    if (!mustBreak && token.width <= free) {
      line.push(token);
      lineWidth += token.width;
      continue;
    }
    if (token.width > widths.rest && [...token.text].length > 1) {
      // Too wide for any line (a URL): break inside it, starting on this line if it may.
      const pieces = splitWide(token, mustBreak ? 0 : free, widths.rest, measure);
      if (pieces.length > 1) {
        pending.splice(i, 1, ...pieces);
        i--;
        continue;
      }
    }
    if (line.length === 0) {
      // One character wider than the line: it overflows rather than loop.
      startLine([token]);
      continue;
    }

    if (startsBadly(token)) {
      // Push out: the closing punctuation goes down with the character before it…
      let k = line.length;
      while (k > 0 && (startsBadly(line[k - 1]) || line[k - 1].space)) k--;
      // …and any opening bracket before that character, which must not end the line either.
      let cut = k - 1;
      while (cut > 0 && (endsBadly(line[cut - 1]) || line[cut - 1].space)) cut--;
      if (cut > 0) {
        const carry = line.slice(cut).filter((t) => !t.space);
        emit(line.slice(0, cut));
        startLine(carry);
        i--;
        continue;
      }
      // Nothing could move down without emptying the line: the punctuation run hangs into the margin.
      const end = endOfClosingRun(i);
      emit([...line, ...pending.slice(i, end + 1).filter((t) => !t.space)]);
      startLine([]);
      i = end;
      continue;
    }

    if (line.every((t) => endsBadly(t) || t.space) && !endsBadly(token)) {
      // Only opening brackets so far: the next word starts here, broken if it can be, overflowing if not.
      const pieces = splitWide(token, free, widths.rest, measure);
      if (pieces.length > 1 && pieces[0].width <= free) {
        pending.splice(i, 1, ...pieces);
        mustBreak = false;
        i--;
        continue;
      }
      const end = endOfClosingRun(i);
      emit([...line, ...pending.slice(i, end + 1).filter((t) => !t.space)]);
      startLine([]);
      i = end;
      continue;
    }
    // Opening brackets at the end of the line go down with what they open (避尾).
    let cut = line.length;
    while (cut > 1 && (endsBadly(line[cut - 1]) || line[cut - 1].space)) cut--;
    const carry = line.slice(cut).filter((t) => !t.space);
    emit(line.slice(0, cut));
    startLine(carry);
    i--;
  }
  if (line.length > 0) emit(line);
}
