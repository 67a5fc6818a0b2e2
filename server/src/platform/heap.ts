import v8 from 'node:v8';
import type { Config } from '../config.js';

/**
 * How far V8 lets the JavaScript heap grow past what a full collection left alive before the next one
 * (`HEAP_GROWTH_PERCENT`). V8 picks a factor of up to 4 when memory seems plentiful: under the lifecycle load
 * the server's ~80 MB of live objects let the heap reach ~200 MB before a full collection, and the RSS peaked
 * ~100 MB above its steady level. At 30 % the heap stays near 130 MB. On PGlite, where the database's
 * WebAssembly heap (~170 MB) shares the process, that keeps the server under 500 MB at no measured cost in
 * throughput; on PostgreSQL the extra collections cost ~7 % of the lifecycle throughput, where the RSS is
 * under the target anyway, so `auto` leaves V8's choice there
 * (docs/decisions/2026-11-21-pglite-memory.md, "Heap growth").
 */
export function heapGrowthPercent(config: Pick<Config, 'HEAP_GROWTH_PERCENT' | 'DATABASE_URL'>): number {
  if (config.HEAP_GROWTH_PERCENT === 'auto') return config.DATABASE_URL ? 0 : 30;
  return Number(config.HEAP_GROWTH_PERCENT);
}

export function limitHeapGrowth(config: Pick<Config, 'HEAP_GROWTH_PERCENT' | 'DATABASE_URL'>): void {
  const percent = heapGrowthPercent(config);
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
