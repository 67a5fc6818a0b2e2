import type { Db } from '../../db/client.js';
import { today } from '../../platform/clock.js';
import * as q from './queries.js';

/**
 * Public catalog answers (search, lists, guides) kept in memory per node. The catalog is read far more than
 * it is written, and PGlite answers one query at a time: a popular search served from memory leaves the
 * database to the rest. An answer is valid while the catalog generation (bumped in the transaction of every
 * catalog write) and the civil date (versions take effect at midnight) stay the same. The node that writes
 * sees its change at once; other nodes within `recheckMs`, when they next read the generation.
 */
export type CatalogCache = {
  /** The cached answer for `key`, or compute, keep and return it. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Re-read the generation on the next request (after a write through this node). */
  invalidate(): void;
  stats(): { hits: number; misses: number; size: number };
};

export function createCatalogCache(db: Db, opts: { max?: number; recheckMs?: number } = {}): CatalogCache {
  const max = opts.max ?? 2000;
  const recheckMs = opts.recheckMs ?? 1000;
  const entries = new Map<string, { generation: number; day: string; value: unknown }>();
  let generation = -1;
  let checkedAt = 0;
  let pending: Promise<number> | null = null;
  let hits = 0;
  let misses = 0;

  async function currentGeneration(): Promise<number> {
    if (Date.now() - checkedAt < recheckMs && generation >= 0) return generation;
    pending ??= q
      .generation(db)
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

  return {
    async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const gen = await currentGeneration();
      const day = today();
      const hit = entries.get(key);
      if (hit && hit.generation === gen && hit.day === day) {
        hits += 1;
        entries.delete(key);
        entries.set(key, hit);
        return hit.value as T;
      }
      misses += 1;
      const value = await compute();
      entries.set(key, { generation: gen, day, value });
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      return value;
    },
    invalidate() {
      checkedAt = 0;
    },
    stats: () => ({ hits, misses, size: entries.size }),
  };
}
