/**
 * Supervision benchmark: `npm run bench -- supervision [--engine postgres|pglite] [--cases N] [--runs N]
 * [--admin-url postgres://…/postgres] [--keep] [--reuse NAME]`.
 *
 * Loads N historical cases with the case generator (a year of realistic open, late and completed cases) into
 * a fresh database (PostgreSQL: a new database dropped afterwards; PGlite: in memory), lets the supervision
 * set-based backfill (backfill.ts) turn them into per-case figures, the rollups and the alerts (timed), then
 * times the board and each figure query for a month and a year, in process (no HTTP), and reports p50/p95.
 * `--keep` leaves the PostgreSQL database in place (for EXPLAIN); drop it afterwards. `--reuse NAME` times the
 * queries on a kept database without loading it again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { type Db, openDatabase } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { seedDemoCatalog } from '../server/src/db/seed/demo-catalog.js';
import { seedDemoOrganisation } from '../server/src/db/seed/demo-org.js';
import { generateCases } from '../server/src/modules/cases/generate.js';
import { computeAssessment } from '../server/src/modules/supervision/assessment.js';
import { backfillSupervision } from '../server/src/modules/supervision/backfill.js';
import { boardCounts, boardCutoffs } from '../server/src/modules/supervision/board.js';
import { sweepDeadlines } from '../server/src/modules/supervision/consume.js';
import { computeFigures, computeTrend, periodRange } from '../server/src/modules/supervision/figures.js';
import { civilDate } from '../server/src/platform/clock.js';
import { defaultPgUrl } from './lib/pg-url.js';

type Opts = {
  engine: 'postgres' | 'pglite';
  cases: number;
  runs: number;
  adminUrl: string;
  keep: boolean;
  reuse?: string;
};

function parse(argv: string[]): Opts {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const engine = (get('engine') ?? 'postgres') as Opts['engine'];
  return {
    engine,
    cases: Number(get('cases') ?? (engine === 'postgres' ? 1_000_000 : 100_000)),
    runs: Number(get('runs') ?? 50),
    keep: argv.includes('--keep'),
    reuse: get('reuse'),
    adminUrl: get('admin-url') ?? process.env.BENCH_ADMIN_URL ?? defaultPgUrl(),
  };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const log = (s: string) => process.stdout.write(`${s}\n`);

/** The database under test: demo organisation and catalog, N generated cases, the supervision backfill. */
async function load(db: Db, o: Opts, results: Record<string, unknown>): Promise<void> {
  await seedDemoOrganisation(db);
  await seedDemoCatalog(db);
  let t0 = performance.now();
  await generateCases(db, {
    count: o.cases,
    days: 365,
    seed: 42,
    onProgress: (n) => {
      if (n % 100_000 === 0) log(`  generated ${n}`);
    },
  });
  results.generateSeconds = Math.round((performance.now() - t0) / 100) / 10;
  log(`generated ${o.cases} cases in ${results.generateSeconds} s`);
  t0 = performance.now();
  const backfilled = await backfillSupervision(db, {
    onProgress: (n) => {
      if (n % 200_000 === 0) log(`  backfilled ${n}`);
    },
  });
  results.backfillAlerts = backfilled.alerts;
  let swept = 0;
  for (;;) {
    const n = await sweepDeadlines(db);
    swept += n;
    if (n === 0) break;
  }
  results.backfillSeconds = Math.round((performance.now() - t0) / 100) / 10;
  log(
    `figures and alerts backfilled in ${results.backfillSeconds} s (${backfilled.alerts} alerts, ${swept} more by the deadline sweep)`,
  );
  // What autovacuum does after a bulk insert (PostgreSQL ≥ 13 vacuums on inserts too): statistics, and the
  // visibility map the board's index-only scans need. Measured before it, the board visits ~25k heap pages.
  await sql`VACUUM (ANALYZE)`.execute(db);
}

export async function main(argv: string[]): Promise<number> {
  const o = parse(argv);
  let dbName: string | null = null;
  let url: string | undefined;
  if (o.engine === 'postgres') {
    dbName = o.reuse ?? `tongban_bench_sup_${Date.now()}`;
    if (!o.reuse) {
      const admin = new pg.Client({ connectionString: o.adminUrl });
      await admin.connect();
      await admin.query(
        `CREATE DATABASE "${dbName}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
      );
      await admin.end();
    }
    const u = new URL(o.adminUrl);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const handle = await openDatabase(url ? { databaseUrl: url, poolSize: 4 } : { dataDir: 'memory' });
  const db = handle.db;
  const results: Record<string, unknown> = { engine: o.engine, cases: o.cases };
  try {
    await migrate(db);
    if (!o.reuse) await load(db, o, results);
    const counts = await db
      .selectFrom('cases')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    results.statuses = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
    const daily = await db
      .selectFrom('sup_daily')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    results.rollupRows = Number(daily?.n ?? 0);

    const today = civilDate(new Date());
    const month = periodRange('month', today);
    const year = { from: civilDate(new Date(Date.now() - 365 * 86400_000)), to: today };
    const prefixes = ['410103'];
    const scenarios: [string, () => Promise<unknown>][] = [
      [
        'board by department',
        async () => boardCounts(db, prefixes, await boardCutoffs(db, '410103'), 'department'),
      ],
      ['board by item', async () => boardCounts(db, prefixes, await boardCutoffs(db, '410103'), 'item')],
      ['figures month', () => computeFigures(db, month, prefixes)],
      ['figures year', () => computeFigures(db, year, prefixes)],
      ['figures month by department', () => computeFigures(db, month, prefixes, 'department')],
      ['figures year by department', () => computeFigures(db, year, prefixes, 'department')],
      ['figures year by item', () => computeFigures(db, year, prefixes, 'item')],
      ['trend month by day', () => computeTrend(db, month, prefixes, 'day')],
      ['trend year by month', () => computeTrend(db, year, prefixes, 'month')],
      ['assessment month (departments)', () => computeAssessment(db, month, prefixes, 'department')],
      ['assessment year (departments)', () => computeAssessment(db, year, prefixes, 'department')],
    ];
    const timings: Record<string, { p50: number; p95: number; max: number }> = {};
    log(`\n${o.engine}, ${o.cases.toLocaleString('en')} cases, ${o.runs} runs each (ms):`);
    log('scenario                              p50      p95      max');
    for (const [name, fn] of scenarios) {
      for (let i = 0; i < 3; i++) await fn();
      const xs: number[] = [];
      for (let i = 0; i < o.runs; i++) {
        const s = performance.now();
        await fn();
        xs.push(performance.now() - s);
      }
      const r = { p50: pct(xs, 50), p95: pct(xs, 95), max: Math.max(...xs) };
      timings[name] = { p50: +r.p50.toFixed(2), p95: +r.p95.toFixed(2), max: +r.max.toFixed(2) };
      log(
        `${name.padEnd(36)} ${r.p50.toFixed(1).padStart(7)}  ${r.p95.toFixed(1).padStart(7)}  ${r.max.toFixed(1).padStart(7)}`,
      );
    }
    results.timings = timings;
    const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `supervision-${o.engine}-${o.cases}${o.reuse ? '-reused' : ''}.json`);
    writeFileSync(file, JSON.stringify(results, null, 2));
    log(`\nwritten ${file}`);
    return Object.values(timings).every((t) => t.p95 < 100) ? 0 : 1;
  } finally {
    await handle.close();
    if (dbName && (o.keep || o.reuse)) log(`kept database ${dbName} (drop it when done)`);
    else if (dbName) {
      const admin = new pg.Client({ connectionString: o.adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    }
  }
}
