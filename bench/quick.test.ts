import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

/**
 * `npm run bench -- --quick` as CI runs it: the harness works end to end (data load, lifecycles, read
 * scenarios, pgbench and the bare server) and writes its JSON and Markdown. It asserts nothing about speed.
 * PGlite always; PostgreSQL too when TEST_DATABASE_URL names a server (the bench makes its own databases there).
 */
const pgUrl = process.env.TEST_DATABASE_URL;
const engines = pgUrl ? 'postgres,pglite' : 'pglite';

type Report = {
  machine: { cores: number; memoryGiB: number; node: string; postgres?: { version: string } };
  results: {
    engine: string;
    casesLoaded: number;
    databaseMB: number;
    passes: {
      pass: string;
      lifecycles: number;
      errors: { total: number };
      rssMB: { max: number };
      statementsPerLifecycle: number | null;
      cpu: { serverKernelPct: number | null; serverSwitchedOutPerSec: number | null; stolen: number };
    }[];
    reads: {
      scenario: string;
      clients: number;
      requestsPerSec: number;
      all: { p99: number };
      byCall: Record<string, { n: number }>;
      errors: { total: number };
    }[];
  }[];
  limits: {
    pgbench: { tps?: number; skipped?: string };
    bare: { requestsPerSec: number };
    disk: { flushes: number; latencyMs: { p50: number; max: number } };
    ratios: { engine: string; requestsVsBare: number; transitionsVsPgbench: number | null }[];
  };
  pass: boolean;
};

it(`npm run bench -- --quick runs on ${engines} and reports against the machine's limits`, async () => {
  // Read scenarios at two concurrencies, given out of order: each runs at one client, then at four.
  const args = ['tsx', 'bench/run.ts', '--quick', '--engine', engines, '--clients', '4', '--skip-empty'];
  args.push('--read-clients', '4,1');
  if (pgUrl) args.push('--pg-url', pgUrl);
  const child = spawn('npx', args, { cwd: resolve('.'), env: { ...process.env, LOG_LEVEL: 'warn' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const code = await new Promise<number | null>((res) => child.on('exit', res));
  expect(code, out.slice(-3000)).toBe(0);
  const m = /results: (bench\/results\/lifecycle-[^.]+)\.\{json,md\}/.exec(out);
  expect(m, out.slice(-2000)).not.toBeNull();
  const base = m?.[1] as string;
  const report = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Report;
  const md = readFileSync(`${base}.md`, 'utf8');

  expect(report.machine.cores).toBeGreaterThan(0);
  expect(report.results.map((r) => r.engine)).toEqual(engines.split(','));
  for (const r of report.results) {
    expect(r.casesLoaded).toBe(10_000);
    expect(r.databaseMB).toBeGreaterThan(0);
    // The empty pass is the same code as the loaded one: left out to keep the test under two minutes.
    expect(r.passes.map((p) => p.pass)).toEqual(['loaded']);
    for (const p of r.passes) {
      expect(p.lifecycles).toBeGreaterThan(0);
      expect(p.errors.total).toBe(0);
      expect(p.rssMB.max).toBeGreaterThan(0);
      // The server is a child process: how much of its CPU was the kernel's, and how often it lost its core.
      expect(p.cpu.serverKernelPct).toBeGreaterThanOrEqual(0);
      expect(p.cpu.serverKernelPct).toBeLessThanOrEqual(100);
      expect(p.cpu.serverSwitchedOutPerSec).toBeGreaterThanOrEqual(0);
      expect(p.cpu.stolen).toBeGreaterThanOrEqual(0);
      expect(p.cpu.stolen).toBeLessThanOrEqual(report.machine.cores + 0.05);
      // Counted from the server's /metrics on PostgreSQL: a lifecycle is ten requests, each at least one.
      if (r.engine === 'postgres') expect(p.statementsPerLifecycle).toBeGreaterThanOrEqual(10);
      else expect(p.statementsPerLifecycle).toBeNull();
    }
    expect(r.reads.map((x) => `${x.scenario} ${x.clients}`)).toEqual([
      'inbox 1',
      'inbox 4',
      'progress 1',
      'progress 4',
      'catalog 1',
      'catalog 4',
      'board 1',
      'board 4',
    ]);
    for (const x of r.reads) {
      expect(x.requestsPerSec).toBeGreaterThan(0);
      expect(x.errors.total).toBe(0);
    }
    // The supervisor's dashboard: every call its page makes, each answered (errors would be counted above).
    const board = r.reads.find((x) => x.scenario === 'board');
    expect(Object.keys(board?.byCall ?? {}).sort()).toEqual(['board', 'board cases', 'figures', 'trend']);
  }
  expect(report.limits.bare.requestsPerSec).toBeGreaterThan(0);
  // The disk's flush latency beside them: what every commit waits for.
  expect(report.limits.disk.flushes).toBeGreaterThan(0);
  expect(report.limits.disk.latencyMs.max).toBeGreaterThanOrEqual(report.limits.disk.latencyMs.p50);
  expect(md).toContain('| disk flush (8 KB write + fdatasync)');
  if (pgUrl) {
    expect(report.machine.postgres?.version).toMatch(/^\d+/);
    expect(report.limits.pgbench.tps ?? 0, report.limits.pgbench.skipped).toBeGreaterThan(0);
    expect(report.limits.ratios.find((r) => r.engine === 'postgres')?.transitionsVsPgbench).toBeGreaterThan(
      0,
    );
  }
  expect(md).toContain('÷ pgbench tps');
  expect(md).toContain('server in kernel / switched out per s');
  expect(md).toContain('other / stolen (cores)');
  expect(md).toContain('| pglite | catalog | 4 |');
  expect(md).toContain('inbox p99 (pglite, 1 client)');
  expect(md).toContain('board p95 (pglite, 4 clients)');
  expect(md).toContain('| pglite | board | 4 | figures |');
  // Where the slowest moments were, and whether the server's thread was the one held up.
  expect(md).toMatch(/Slowest calls, pglite loaded: \w+ [\d.]+ ms at [\d.]+ s.*event-loop delay [\d.]+ ms/);
  expect(md).toContain('| met | short by |');
}, 240_000);

it('--read-clients takes a list of client counts and names the option when one is not a count', async () => {
  const { readConcurrencies } = await import('./lifecycle.js');
  expect(readConcurrencies(undefined, 16, false)).toEqual([1, 4, 16]);
  expect(readConcurrencies(undefined, 8, true)).toEqual([8]);
  expect(readConcurrencies('16, 4,4', 16, false)).toEqual([4, 16]);
  expect(() => readConcurrencies('4,x', 16, false)).toThrow(/--read-clients/);
  expect(() => readConcurrencies('0', 16, false)).toThrow(/--read-clients/);
});

it('says by how much a missed target is missed, in its unit and as a factor', async () => {
  const { goal } = await import('./lifecycle.js');
  expect(goal('lifecycles/s', 51, 250, true, '')).toEqual({
    what: 'lifecycles/s',
    target: '≥ 250',
    value: '51',
    met: false,
    short: 'needs 4.9× (199 more)',
  });
  expect(goal('inbox p99', 64.9, 20, false, 'ms')).toMatchObject({
    target: '≤ 20 ms',
    met: false,
    short: '44.9 ms over (3.2× the limit)',
  });
  expect(goal('lifecycles/s', 31.2, 250, true, '').short).toBe('needs 8.0× (218.8 more)');
  expect(goal('progress p99', 20.04, 20, false, 'ms').short).toBe('0.04 ms over (1.0× the limit)');
  // Met, or not applicable with too few cases loaded: nothing is short.
  expect(goal('catalog p95', 6.8, 20, false, 'ms')).not.toHaveProperty('short');
  expect(goal('lifecycles/s', 51, 250, true, '', false)).toMatchObject({ met: null });
  expect(goal('lifecycles/s', 51, 250, true, '', false)).not.toHaveProperty('short');
});

it("reads a CPU profile's self time by package", async () => {
  const { packageShares } = await import('./lib/cpuprofile.js');
  const frame = (id: number, url: string, children: number[] = []) => ({
    id,
    callFrame: { functionName: `f${id}`, url, lineNumber: 0 },
    children,
  });
  const profile = {
    nodes: [
      frame(1, '', [2, 3, 5]),
      frame(2, 'file:///app/node_modules/pg/lib/client.js', [4]),
      frame(3, 'file:///app/server/src/app.ts'),
      frame(4, 'file:///app/node_modules/@fastify/cookie/index.js'),
      { id: 5, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    ],
    startTime: 0,
    endTime: 10,
    samples: [2, 2, 3, 4, 2, 1, 3, 2, 5, 5],
    timeDeltas: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  };
  // V8's pseudo-frames stand apart from native code.
  expect(packageShares(profile)).toEqual([
    ['pg', 40],
    ['server/src/app.ts', 20],
    ['(garbage collector)', 20],
    ['@fastify/cookie', 10],
    ['(native/V8)', 10],
  ]);
});

it("reads the event loop's longest delay and the major collections from the server's /metrics", async () => {
  const { parseServerMetrics } = await import('./lifecycle.js');
  const body = [
    'tongban_db_statements_total 1234',
    'tongban_nodejs_eventloop_lag_max_seconds 0.812',
    'tongban_nodejs_gc_duration_seconds_bucket{le="0.01",kind="major"} 2',
    'tongban_nodejs_gc_duration_seconds_bucket{le="0.1",kind="major"} 5',
    'tongban_nodejs_gc_duration_seconds_bucket{le="1",kind="major"} 7',
    'tongban_nodejs_gc_duration_seconds_sum{kind="major"} 0.95',
    'tongban_nodejs_gc_duration_seconds_count{kind="major"} 7',
    'tongban_nodejs_gc_duration_seconds_count{kind="minor"} 300',
  ].join('\n');
  expect(parseServerMetrics(body)).toEqual({
    statements: 1234,
    loopMaxMs: 812,
    majorGc: { count: 7, seconds: 0.95, over100ms: 2 },
  });
  // PGlite's server has no statement count; a server without /metrics nothing at all.
  expect(parseServerMetrics('')).toEqual({ statements: null, loopMaxMs: null, majorGc: null });
});
