import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrapText } from './line-break.js';

/** A monospaced stand-in: a CJK character is 1 wide, an ASCII one 0.5. */
const measure = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) < 0x80 ? 0.5 : 1), 0);
const wrap = (text: string, width: number) => wrapText(text, { first: width, rest: width }, measure);

describe('wrapText', () => {
  it('breaks Chinese between any two characters', () => {
    expect(wrap('一二三四五六七', 3)).toEqual(['一二三', '四五六', '七']);
  });

  it('never starts a line with closing punctuation: the character before it moves down too (避头)', () => {
    expect(wrap('一二三四，五六', 4)).toEqual(['一二三', '四，五六']);
    expect(wrap('一二三四。」五', 4)).toEqual(['一二三', '四。」五']);
  });

  it('never ends a line with an opening bracket (避尾)', () => {
    expect(wrap('一二三《四五》', 4)).toEqual(['一二三', '《四五》']);
  });

  it('lets punctuation hang when nothing could move down with it', () => {
    expect(wrap('一，', 1)).toEqual(['一，']);
  });

  it('keeps Latin words and numbers whole and drops the space at a break', () => {
    expect(wrap('申请 file no 20261121 已收', 5.5)).toEqual(['申请 file', 'no 20261121', '已收']);
  });

  it('breaks a word wider than the line, after a slash where it can', () => {
    expect(wrap('https://a.example.cn/progress/410103', 10)).toEqual([
      'https://a.example.',
      'cn/progress/410103',
    ]);
    // A long word starts on the current line when part of it fits there.
    expect(wrap('进度 https://a.example.cn/progress/410103', 10)).toEqual([
      '进度 https://a.',
      'example.cn/progress/',
      '410103',
    ]);
  });

  it('honours hard line breaks and a narrower first line', () => {
    expect(wrapText('一二三四\n五', { first: 2, rest: 4 }, measure)).toEqual(['一二', '三四', '五']);
  });

  it('loses no character, keeps lines within the width and closing punctuation off line starts', () => {
    const alphabet = fc.constantFrom(...'一二三四五六七八九十，。、；：？！）》」（《「ab1 '.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), fc.integer({ min: 3, max: 12 }), (chars, width) => {
        const text = chars.join('');
        const lines = wrap(text, width);
        // Spaces may vanish at breaks; everything else comes out in order.
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
        for (const [i, line] of lines.entries()) {
          // A line may overflow only by hanging punctuation, or by the one character after nothing but
          // opening brackets.
          const body = line.replace(/[，。、；：？！）》」]+$/, '');
          const afterOpeners = /^[（《「 ]+[^（《「 ]$/u.test(body);
          if (!afterOpeners) expect(measure(body), line).toBeLessThanOrEqual(width);
          if (i > 0) expect('，。、；：？！）》」'.includes(line[0] ?? ''), `line ${i}: ${line}`).toBe(false);
          // (A line of nothing but opening brackets has no better place to break.)
          const onlyOpeners = /^[（《「 ]+$/u.test(line);
          const endsOpen = '（《「'.includes(line.at(-1) ?? '') && i < lines.length - 1 && !onlyOpeners;
          expect(endsOpen, `line ${i}: ${line}`).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
