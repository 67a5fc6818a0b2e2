import client from 'prom-client';
import { today } from '../../platform/clock.js';

/**
 * Public catalog answers (search, lists, guides) kept in memory per node. The catalog is read far more than
 * it is written, and PGlite answers one query at a time: a popular search served from memory leaves the
 * database to the rest. An answer is valid while the catalog generation (bumped in the transaction of every
 * catalog write) and the civil date (versions take effect at midnight) stay the same. The node that writes
 * sees its change at once; other nodes within `recheckMs`, when they next read the generation.
 *
 * The cache is bounded by memory, not by a count of answers: a page of the power list is ten times the size of
 * a page of items, and the public's searches have a long tail (the benchmark's traffic asks ~5,000 distinct
 * URLs), so a count small enough to be safe for the large answers evicted the tail before it came round
 * again. Each answer is charged twice the length of its JSON (JavaScript keeps strings in UTF-16); the least
 * recently used answers go first when the budget is exceeded, and an answer larger than a tenth of the budget
 * is not kept.
 */
export type CatalogCache = {
  /** The cached answer for `key`, or compute, keep and return it. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Re-read the generation on the next request (after a write through this node). */
  invalidate(): void;
  stats(): CatalogCacheStats;
};

export type CatalogCacheStats = {
  hits: number;
  misses: number;
  size: number;
  bytes: number;
  maxBytes: number;
};

export function createCatalogCache(
  readGeneration: () => Promise<number>,
  opts: { maxBytes?: number; recheckMs?: number } = {},
): CatalogCache {
  const maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
  const recheckMs = opts.recheckMs ?? 1000;
  const entries = new Map<string, { generation: number; day: string; value: unknown; bytes: number }>();
  let bytes = 0;
  let generation = -1;
  let checkedAt = 0;
  let pending: Promise<number> | null = null;
  let hits = 0;
  let misses = 0;

  async function currentGeneration(): Promise<number> {
    if (Date.now() - checkedAt < recheckMs && generation >= 0) return generation;
    pending ??= readGeneration()
      .then((g) => {
        generation = g;
        checkedAt = Date.now();
        return g;
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  }

  const drop = (key: string) => {
    const old = entries.get(key);
    if (!old) return;
    entries.delete(key);
    bytes -= old.bytes;
  };

  return {
    async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const gen = await currentGeneration();
      const day = today();
      const hit = entries.get(key);
      if (hit && hit.generation === gen && hit.day === day) {
        hits += 1;
        // Most recently used last: eviction takes from the front.
        entries.delete(key);
        entries.set(key, hit);
        return hit.value as T;
      }
      misses += 1;
      const value = await compute();
      const size = 2 * (JSON.stringify(value)?.length ?? 0) + 2 * key.length;
      drop(key);
      if (size <= maxBytes / 10) {
        entries.set(key, { generation: gen, day, value, bytes: size });
        bytes += size;
        for (const oldest of entries.keys()) {
          if (bytes <= maxBytes) break;
          drop(oldest);
        }
      }
      return value;
    },
    invalidate() {
      checkedAt = 0;
    },
    stats: () => ({ hits, misses, size: entries.size, bytes, maxBytes }),
  };
}

/**
 * The cache in /metrics, for sizing `CATALOG_CACHE_MB`: `tongban_catalog_cache_hits_total`,
 * `tongban_catalog_cache_misses_total` and `tongban_catalog_cache_bytes` (the estimate the budget is held to).
 */
export function registerCatalogCacheMetrics(registry: client.Registry, cache: CatalogCache): void {
  const counter = (name: string, help: string, read: (s: CatalogCacheStats) => number) => {
    let reported = 0;
    new client.Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const n = read(cache.stats());
        this.inc(n - reported);
        reported = n;
      },
    });
  };
  counter('tongban_catalog_cache_hits_total', 'Public catalog answers served from memory', (x) => x.hits);
  counter(
    'tongban_catalog_cache_misses_total',
    'Public catalog answers computed by the database',
    (x) => x.misses,
  );
  new client.Gauge({
    name: 'tongban_catalog_cache_bytes',
    help: 'Estimated memory held by cached public catalog answers (limit: CATALOG_CACHE_MB)',
    registers: [registry],
    collect() {
      this.set(cache.stats().bytes);
    },
  });
}
