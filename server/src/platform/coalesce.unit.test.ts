import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalesce.js';

/** A read we finish by hand; each run records what it answered and when it started. */
function controlledReads() {
  const runs: { resolve: (v: number) => void; reject: (e: Error) => void; started: number }[] = [];
  let clock = 0;
  const read = () =>
    new Promise<number>((resolve, reject) => {
      runs.push({ resolve, reject, started: clock });
    });
  return {
    runs,
    read,
    tick: () => {
      clock += 1;
      return clock;
    },
  };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('Coalescer', () => {
  it('answers many identical requests with at most two runs, none of them older than its request', async () => {
    const c = new Coalescer<number>();
    const r = controlledReads();
    const first = c.run('board', r.read);
    const arrivedAt = r.tick(); // the others arrive after the first run started
    const others = Array.from({ length: 8 }, () => c.run('board', r.read));
    await settle();
    expect(r.runs).toHaveLength(1);
    r.runs[0].resolve(1);
    expect(await first).toBe(1);
    await settle();
    // The eight did not take the first answer (its snapshot predates them): one more run, started after them.
    expect(r.runs).toHaveLength(2);
    expect(r.runs[1].started).toBeGreaterThanOrEqual(arrivedAt);
    r.runs[1].resolve(2);
    expect(await Promise.all(others)).toEqual([2, 2, 2, 2, 2, 2, 2, 2]);
    expect(c.inFlight).toBe(0);
  });

  it('runs different keys independently and starts afresh once a key is idle', async () => {
    const c = new Coalescer<number>();
    const r = controlledReads();
    const a = c.run('region 4101', r.read);
    const b = c.run('region 4102', r.read);
    await settle();
    expect(r.runs).toHaveLength(2);
    r.runs[0].resolve(10);
    r.runs[1].resolve(20);
    expect([await a, await b]).toEqual([10, 20]);
    const again = c.run('region 4101', r.read);
    await settle();
    expect(r.runs).toHaveLength(3);
    r.runs[2].resolve(11);
    expect(await again).toBe(11);
  });

  it('gives a failed run’s error to its own callers only; the queued ones still get a run of their own', async () => {
    const c = new Coalescer<number>();
    const r = controlledReads();
    const first = c.run('k', r.read);
    const second = c.run('k', r.read);
    r.runs[0].reject(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await settle();
    expect(r.runs).toHaveLength(2);
    r.runs[1].resolve(5);
    expect(await second).toBe(5);
  });

  it('turns a read that throws at once into a rejection and frees the key', async () => {
    const c = new Coalescer<number>();
    await expect(
      c.run('k', () => {
        throw new Error('bad query');
      }),
    ).rejects.toThrow('bad query');
    expect(c.inFlight).toBe(0);
    expect(await c.run('k', async () => 7)).toBe(7);
  });
});
