import v8 from 'node:v8';
import type { Config } from '../config.js';

/**
 * How far V8 lets the JavaScript heap grow past what a full collection left alive before the next one
 * (`HEAP_GROWTH_PERCENT`). V8 picks a factor of up to 4 when memory seems plentiful: under the lifecycle load
 * the server's ~80 MB of live objects let the heap reach ~200 MB before a full collection, and the RSS peaked
 * ~100 MB above its steady level. At 30 % the heap stays near 130 MB. On PGlite, where the database's
 * WebAssembly heap (~170 MB) shares the process, that keeps the server under 500 MB at no measured cost in
 * throughput. On PostgreSQL 30 % cost ~7 % of the lifecycle throughput (the server's thread is the limit
 * there), but V8's own choice let a flat-out read load take the RSS to 525–552 MB; at 100 % (the heap at most
 * doubles) the RSS stayed under 360 MB with the throughput unchanged, so `auto` is 100 there
 * (docs/decisions/2026-11-21-pglite-memory.md, "Heap growth").
 */
export function heapGrowthPercent(config: Pick<Config, 'HEAP_GROWTH_PERCENT' | 'DATABASE_URL'>): number {
  if (config.HEAP_GROWTH_PERCENT === 'auto') return config.DATABASE_URL ? 100 : 30;
  return Number(config.HEAP_GROWTH_PERCENT);
}

export function limitHeapGrowth(config: Pick<Config, 'HEAP_GROWTH_PERCENT' | 'DATABASE_URL'>): void {
  const percent = heapGrowthPercent(config);
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
