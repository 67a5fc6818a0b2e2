/**
 * Field-by-field difference between two versions of an entry. Objects are compared key by key and arrays
 * position by position, so a change reads as `materials.2.copies: 1 → 2`; a leaf is any non-object value.
 */
export type Change = {
  path: string;
  change: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function diffData(before: unknown, after: unknown, path: string[] = []): Change[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: Change[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i += 1) {
      out.push(...diffData(before[i], after[i], [...path, String(i)]));
    }
    return out;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diffData(before[k], after[k], [...path, k]));
  }
  if (before === undefined && after === undefined) return [];
  const at = path.join('.') || '(entry)';
  if (before === undefined) return [{ path: at, change: 'added', before: null, after }];
  if (after === undefined) return [{ path: at, change: 'removed', before, after: null }];
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: at, change: 'changed', before, after }];
}
