import { describe, expect, it } from 'vitest';
import { errorStatus } from './errors.js';
import { messageKeys, pickLocale, translate } from './i18n.js';

describe('server messages', () => {
  it('every message exists in both languages with the same placeholders', () => {
    for (const key of messageKeys()) {
      const zh = translate('zh-CN', key);
      const en = translate('en-US', key);
      expect(zh, key).not.toBe(key);
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(zh), key).toEqual(names(en));
    }
  });

  it('every error code maps to an HTTP status', () => {
    for (const [code, status] of Object.entries(errorStatus)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
    }
  });

  it('prefers Chinese unless English comes first', () => {
    expect(pickLocale(undefined)).toBe('zh-CN');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en-US');
    expect(pickLocale('zh-CN,en;q=0.5')).toBe('zh-CN');
  });
});
