import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskMobile, maskName, maskUscc } from './mask.js';

describe('mask', () => {
  it('masks the usual shapes', () => {
    expect(maskIdNumber('410103199003071234')).toBe('410103********1234');
    expect(maskIdNumber('41010319900307123X')).toBe('410103********123X');
    expect(maskMobile('13800138000')).toBe('138****8000');
    expect(maskUscc('91110108000000001A')).toBe('91110108******001A');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });

  it('masks short or odd input entirely and never throws', () => {
    expect(maskIdNumber('41010319')).toBe('********');
    expect(maskMobile('1380013')).toBe('*******');
    expect(maskUscc('9111')).toBe('****');
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
    for (const f of [maskIdNumber, maskMobile, maskUscc, maskName]) {
      expect(f(undefined as unknown as string)).toBe('');
      expect(f(42 as unknown as string)).toBe('');
    }
  });

  it('property: output has the same length, never throws, and hides the middle', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        for (const f of [maskIdNumber, maskMobile, maskUscc, maskName]) {
          const out = f(s);
          expect(Array.from(out).length).toBe(Array.from(s).length);
        }
        const id = Array.from(maskIdNumber(s));
        if (id.length >= 15) expect(id.slice(6, -4).every((c) => c === '*')).toBe(true);
        else expect(id.every((c) => c === '*')).toBe(true);
      }),
    );
  });
});
