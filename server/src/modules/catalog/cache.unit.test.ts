import { describe, expect, it } from 'vitest';
import { createCatalogCache } from './cache.js';

/** An answer whose JSON is about `chars` characters long (charged 2 bytes a character). */
const answer = (tag: string, chars: number) => ({ tag, text: 'x'.repeat(chars) });

describe('catalog answer cache', () => {
  it('answers a repeated key from memory and recomputes after a catalog write (new generation)', async () => {
    let generation = 1;
    const cache = createCatalogCache(async () => generation, { recheckMs: 0 });
    let computed = 0;
    const compute = async () => {
      computed += 1;
      return answer(`g${generation}`, 10);
    };
    expect((await cache.get('/search?q=a', compute)).tag).toBe('g1');
    expect((await cache.get('/search?q=a', compute)).tag).toBe('g1');
    expect(computed).toBe(1);
    generation = 2;
    expect((await cache.get('/search?q=a', compute)).tag).toBe('g2');
    expect(computed).toBe(2);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, size: 1 });
  });

  it('holds answers within its memory budget, evicting the least recently used first', async () => {
    // Budget 100 kB; each answer ~8 kB (4,000 characters): twelve fit.
    const cache = createCatalogCache(async () => 1, { maxBytes: 100_000 });
    const computed: string[] = [];
    const get = (key: string) =>
      cache.get(key, async () => {
        computed.push(key);
        return answer(key, 4_000);
      });
    const keys = Array.from({ length: 14 }, (_, i) => `k${i}`);
    for (const k of keys.slice(0, 12)) await get(k);
    expect(cache.stats().size).toBe(12);
    await get('k0'); // k0 is now the most recent: k1 is the oldest
    await get('k12');
    await get('k13'); // over budget each time: k1 goes, then k2
    expect(cache.stats().bytes).toBeLessThanOrEqual(100_000);
    expect(cache.stats().size).toBe(12);
    computed.length = 0;
    for (const k of ['k0', ...keys.slice(3)]) await get(k);
    expect(computed).toEqual([]);
    await get('k1');
    expect(computed).toEqual(['k1']);
  });

  it('does not keep an answer larger than a tenth of the budget, and still returns it', async () => {
    const cache = createCatalogCache(async () => 1, { maxBytes: 100_000 });
    const big = await cache.get('big', async () => answer('big', 6_000));
    expect(big.tag).toBe('big');
    expect(cache.stats()).toMatchObject({ size: 0, bytes: 0 });
  });

  it('counts a replaced answer once (a stale entry recomputed under the same key)', async () => {
    let generation = 1;
    const cache = createCatalogCache(async () => generation, { recheckMs: 0, maxBytes: 1_000_000 });
    await cache.get('k', async () => answer('1', 1_000));
    const one = cache.stats().bytes;
    generation = 2;
    await cache.get('k', async () => answer('2', 1_000));
    expect(cache.stats()).toMatchObject({ size: 1, bytes: one });
  });
});
