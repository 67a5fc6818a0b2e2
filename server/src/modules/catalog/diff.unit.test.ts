import { describe, expect, it } from 'vitest';
import { diffData } from './diff.js';

describe('field-by-field diff', () => {
  it('names changed, added and removed fields by path, arrays by position', () => {
    const before = {
      name: '许可',
      days: 7,
      materials: [{ name: '申请书', copies: 1 }, { name: '身份证' }],
      keywords: ['a'],
    };
    const after = {
      name: '许可',
      days: 3,
      materials: [{ name: '申请书', copies: 2 }],
      keywords: ['a', 'b'],
      phone: '12345',
    };
    expect(diffData(before, after)).toEqual([
      { path: 'days', change: 'changed', before: 7, after: 3 },
      { path: 'materials.0.copies', change: 'changed', before: 1, after: 2 },
      { path: 'materials.1', change: 'removed', before: { name: '身份证' }, after: null },
      { path: 'keywords.1', change: 'added', before: null, after: 'b' },
      { path: 'phone', change: 'added', before: null, after: '12345' },
    ]);
  });

  it('finds nothing between equal entries, whatever the key order', () => {
    expect(diffData({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('treats a null replaced by an object as one change', () => {
    expect(diffData({ f: null }, { f: { id: 'x' } })).toEqual([
      { path: 'f', change: 'changed', before: null, after: { id: 'x' } },
    ]);
  });
});
