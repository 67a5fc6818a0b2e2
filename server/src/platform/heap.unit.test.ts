import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { heapGrowthPercent } from './heap.js';

/**
 * A process that keeps ~60 MB alive and churns through short-lived objects, with the heap growth of `setting`
 * applied as `tongban start` applies it; prints the largest heap it saw, in MB.
 */
function peakHeapMB(setting: string): number {
  const script = `
    import { limitHeapGrowth } from './server/src/platform/heap.ts';
    limitHeapGrowth({ HEAP_GROWTH_PERCENT: ${JSON.stringify(setting)}, DATABASE_URL: '' });
    const live = []; for (let i = 0; i < 600000; i++) live.push({ a: i, b: 'y' + i, c: [i] });
    const ring = new Array(200000); let peak = 0;
    for (let i = 0; i < 6000000; i++) {
      ring[i % ring.length] = { a: i, b: 'x' + i, c: [i, i] };
      if (i % 10000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(Math.round(peak / 1048576), live.length);`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return Number(out.split(' ')[0]);
}

describe('heap growth (HEAP_GROWTH_PERCENT)', () => {
  it('auto is 30 % on PGlite and 100 % on PostgreSQL; 0 leaves V8 its own; a malformed value names itself', () => {
    expect(heapGrowthPercent(loadConfig({}))).toBe(30);
    expect(heapGrowthPercent(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }))).toBe(100);
    expect(heapGrowthPercent(loadConfig({ HEAP_GROWTH_PERCENT: '0', DATABASE_URL: 'postgres://x' }))).toBe(0);
    expect(heapGrowthPercent(loadConfig({ HEAP_GROWTH_PERCENT: '75', DATABASE_URL: 'postgres://x' }))).toBe(
      75,
    );
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: 'lots' })).toThrow(
      /HEAP_GROWTH_PERCENT: must be auto or a number/,
    );
  });

  it('a limited growth keeps the heap near its live objects where V8 alone lets it double', () => {
    const limited = peakHeapMB('30');
    const own = peakHeapMB('0');
    expect(limited).toBeLessThan(own * 0.7);
  }, 60_000);
});
