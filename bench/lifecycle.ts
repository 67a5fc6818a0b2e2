import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { seedDemoCatalog } from '../server/src/db/seed/demo-catalog.js';
import { seedDemoOrganisation } from '../server/src/db/seed/demo-org.js';
import type { Database } from '../server/src/db/types.js';
import { generateCases } from '../server/src/modules/cases/generate.js';
import { runArt32, runDeemedApprovals } from '../server/src/modules/cases/jobs.js';
import { backfillSupervision } from '../server/src/modules/supervision/backfill.js';
import { civilDate } from '../server/src/platform/clock.js';
import { createJobRunner } from '../server/src/platform/jobs/index.js';
import { type Profile, packageShares } from './lib/cpuprofile.js';
import {
  type CallInit,
  HttpError,
  type Sample as HttpSample,
  login,
  round,
  type Session,
  type Stats,
  stats,
  timed,
} from './lib/http.js';
import {
  type BareResult,
  type DiskFlushResult,
  type PgbenchResult,
  probeDiskFlush,
  runBareFastify,
  runPgbench,
} from './lib/limits.js';
import { type CpuSnapshot, type CpuUse, cpuSnapshot, cpuUse, machineFacts, rssMB } from './lib/machine.js';
import { defaultPgUrl } from './lib/pg-url.js';
import {
  type ReadData,
  type ReadResult,
  type ReadScenario,
  readScenarios,
  runReads,
  sampleReadData,
} from './lib/reads.js';
import { type ServerUnderTest, startServer } from './lib/server.js';

/**
 * Case lifecycle benchmark (issue 4, "Benchmark"; issue 7 "full case lifecycle over HTTP"). For each engine:
 * a fresh database with the demo organisation and catalog; a server (`node bin/tongban.mjs start`, a child
 * process, jobs on) driven by concurrent clients, each running full lifecycles of one 承诺件 of 市场监管 over
 * HTTP — window registration of an enterprise, upload of every required material, accept (受理), pass
 * (审核), approve (审批), issue (办结), deliver (送达), public progress query — first on the empty database,
 * then after `generateCases` pre-loaded N historical cases. Results go to bench/results/ (git-ignored).
 *
 *   npm run bench -- lifecycle [--engine postgres|pglite|both] [--cases N] [--clients 16] [--duration 60]
 *                              [--warmup 10] [--quick] [--item 食品经营许可变更] [--skip-empty] [--profile]
 *                              [--in-process] [--keep] [--batch 1500] [--pg-url postgres://…]
 */

type Engine = 'postgres' | 'pglite';

type Options = {
  engines: Engine[];
  /** Historical cases per engine (undefined: the engine's default). */
  cases: Partial<Record<Engine, number>>;
  clients: number;
  /** Server processes on PostgreSQL (`WORKERS`; PGlite is always one). */
  workers: number;
  duration: number;
  warmup: number;
  quick: boolean;
  item: string;
  skipEmpty: boolean;
  profile: boolean;
  inProcess: boolean;
  keep: boolean;
  settle: boolean;
  batch: number;
  pgUrl: string;
  /** Read scenarios run on the reference pass's server (the loaded one, else the empty one). */
  scenarios: ReadScenario[];
  /** Concurrencies of the read scenarios, each run in turn. */
  readClients: number[];
  readWarmup: number;
  readDuration: number;
  /** pgbench and the bare Fastify server, same run, same client count. */
  limits: boolean;
  limitDuration: number;
  /** Drive a server that is already running (e.g. nginx in front of two nodes) instead of starting one. */
  url?: string;
  /** The database behind `url`: the read scenarios sample cases from it, and the backlog is read there. */
  databaseUrl?: string;
};

/** 1,000,000 on PostgreSQL (issue 4) and 100,000 on PGlite (issue 7's PGlite target); --quick: 10,000. */
const DEFAULT_CASES: Record<Engine, number> = { postgres: 1_000_000, pglite: 100_000 };

const callKinds = [
  'register',
  'upload',
  'accept',
  'pass',
  'approve',
  'issue',
  'deliver',
  'progress',
] as const;
type CallKind = (typeof callKinds)[number];
/** Calls that change a case's status or step (the uploads change a material, not the case). */
const transitionKinds: readonly CallKind[] = ['register', 'accept', 'pass', 'approve', 'issue', 'deliver'];

type Sample = HttpSample<CallKind>;
type ErrorRecord = { kind: string; status: number; code: string };

// HTTP -------------------------------------------------------------------------------------------------

/** A tiny valid PDF (the upload check reads the magic bytes). */
const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
);
const boundary = '----tongban-bench-boundary';
const multipartBody = Buffer.concat([
  Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  ),
  pdf,
  Buffer.from(`\r\n--${boundary}--\r\n`),
]);

type Detail = {
  id: string;
  number: string;
  status: string;
  version: number;
  stepName: string | null;
  materials: { id: string; required: boolean; status: string }[];
};

// Applicants --------------------------------------------------------------------------------------------

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 check character of a unified social credit code's first 17 characters. */
export function usccCheck(first17: string): string {
  const sum = [...first17].reduce((acc, ch, i) => acc + USCC_ALPHABET.indexOf(ch) * USCC_WEIGHTS[i], 0);
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

const shops = ['餐饮店', '便利店', '超市', '食品商行', '烘焙坊', '茶饮店', '小吃店', '生鲜超市'];
let applicantSeq = Math.floor(Math.random() * 1_000_000);

function nextApplicant() {
  applicantSeq += 1;
  const n = applicantSeq % 10_000_000;
  // 91 (enterprise, 工商) + 410103 (二七区) + a 9-character organisation code + check character.
  const body = `91410103MB${String(n).padStart(7, '0')}`;
  return {
    kind: 'enterprise' as const,
    name: `郑州二七${String(n).padStart(7, '0')}${shops[n % shops.length]}`,
    uscc: `${body}${usccCheck(body)}`,
    mobile: `136${String((n * 7919) % 100_000_000).padStart(8, '0')}`,
  };
}

// The lifecycle -----------------------------------------------------------------------------------------

type Client = { clerk: Session; reviewer: Session; approver: Session };

/**
 * One full lifecycle of a 承诺件 with steps 受理 → 审核 → 审批 → 办结 → 送达: what a window clerk, a
 * reviewer and an approver of the department do, then the applicant's public progress query.
 */
async function lifecycle(
  base: string,
  itemCode: string,
  c: Client,
  samples: Sample[],
  seq: number,
): Promise<void> {
  const json = (s: Session, body: unknown): CallInit => ({
    method: 'POST',
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const applicant = nextApplicant();
  let d = await timed<Detail>(
    samples,
    'register',
    `${base}/api/v1/cases`,
    json(c.clerk, {
      itemCode,
      channel: 'window',
      applicant,
      form: { 变更事项: '经营场所', 变更后内容: `二七区大学路 ${seq % 300} 号` },
    }),
    201,
  );
  for (const m of d.materials.filter((x) => x.required)) {
    d = await timed<Detail>(
      samples,
      'upload',
      `${base}/api/v1/cases/${d.id}/materials/${m.id}/file`,
      {
        method: 'POST',
        headers: {
          cookie: c.clerk.cookie,
          'x-csrf-token': c.clerk.csrf,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body: multipartBody,
      },
      200,
    );
  }
  const act = async (who: Session, kind: CallKind, action: string, extra: object = {}) => {
    d = await timed<Detail>(
      samples,
      kind,
      `${base}/api/v1/cases/${d.id}/actions/${action}`,
      json(who, { version: d.version, ...extra }),
      200,
    );
  };
  await act(c.clerk, 'accept', 'accept');
  await act(c.reviewer, 'pass', 'pass');
  await act(c.approver, 'approve', 'approve');
  await act(c.clerk, 'issue', 'issue');
  await act(c.clerk, 'deliver', 'deliver', { deliveryMethod: 'pickup' });
  if (d.status !== 'delivered') throw new HttpError('deliver', 200, `status ${d.status}`);
  // The applicant checks progress from their own phone: a public address of their own (the route allows 30
  // queries a minute per address; the server trusts X-Forwarded-For as it would behind nginx).
  const progress = await timed<{ status: string }>(
    samples,
    'progress',
    `${base}/api/v1/public/progress?number=${encodeURIComponent(d.number)}&code=${applicant.uscc.slice(-6)}`,
    {
      headers: {
        'x-forwarded-for': `10.${(seq >> 16) & 255}.${(seq >> 8) & 255}.${seq & 255}`,
      },
    },
    200,
  );
  if (progress.status !== 'delivered') throw new HttpError('progress', 200, `status ${progress.status}`);
}

/** The item to run: by name, published, of a department the demo letters cover, with no clock-stopping step. */
async function findItem(base: string, name: string): Promise<{ code: string; steps: string[] }> {
  const res = await fetch(`${base}/api/v1/catalog/search?q=${encodeURIComponent(name)}`);
  const hits = ((await res.json()) as { items: { code: string; name: string }[] }).items;
  const hit = hits.find((h) => h.name === name);
  if (!hit) throw new Error(`item ${name} not found in the catalog`);
  const guide = (await (await fetch(`${base}/api/v1/catalog/items/${hit.code}/guide`)).json()) as {
    process: { steps: { name: string; clockStops: boolean }[] };
  };
  const steps = guide.process.steps;
  if (steps.some((s) => s.clockStops))
    throw new Error(`item ${name} has a special stage (clockStops): pick one without`);
  return { code: hit.code, steps: steps.map((s) => s.name) };
}

/** What the server's /metrics says now; each field null when it has none (PGlite has no statement count). */
type ServerMetrics = {
  statements: number | null;
  /** The event loop's longest delay since the previous scrape (prom-client resets it on each), ms. */
  loopMaxMs: number | null;
  /** Major garbage collections so far: how many, how long in all (s), how many over 100 ms. */
  majorGc: { count: number; seconds: number; over100ms: number } | null;
};

export function parseServerMetrics(body: string): ServerMetrics {
  const num = (re: RegExp) => {
    const m = re.exec(body);
    return m ? Number(m[1]) : null;
  };
  const statements = num(/^tongban_db_statements_total (\d+)$/m);
  const loop = num(/^tongban_nodejs_eventloop_lag_max_seconds ([\d.e+-]+)$/m);
  const gc = (suffix: string, le?: string) =>
    num(
      new RegExp(
        `^tongban_nodejs_gc_duration_seconds_${suffix}\\{${le ? `le="${le}",` : ''}kind="major"\\} ([\\d.e+-]+)$`,
        'm',
      ),
    );
  const count = gc('count');
  const sum = gc('sum');
  const upTo100 = gc('bucket', '0.1');
  return {
    statements,
    loopMaxMs: loop === null ? null : round(loop * 1000, 1),
    majorGc:
      count === null || sum === null || upTo100 === null
        ? null
        : { count, seconds: sum, over100ms: count - upTo100 },
  };
}

async function serverMetrics(base: string): Promise<ServerMetrics> {
  try {
    return parseServerMetrics(await (await fetch(`${base}/metrics`)).text());
  } catch {
    return { statements: null, loopMaxMs: null, majorGc: null };
  }
}

// A pass: clients × duration against one started server ------------------------------------------------

type PassResult = {
  pass: 'empty' | 'loaded';
  casesInDb: number;
  seconds: number;
  lifecycles: number;
  lifecyclesPerSec: number;
  transitionsPerSec: number;
  requestsPerSec: number;
  lifecycleMs: Stats;
  all: Stats;
  byCall: Record<CallKind, Stats>;
  errors: { total: number; byKind: Record<string, number> };
  rssMB: { mean: number; max: number; peakHWM: number | null };
  cpu: CpuUse;
  /** CPU the server and PostgreSQL spent per lifecycle (ms): steadier than lifecycles/s on a shared machine. */
  cpuMsPerLifecycle: { server: number; postgres: number };
  /**
   * SQL statements the server sent to PostgreSQL per lifecycle in the measured window (its
   * `tongban_db_statements_total`), requests and background jobs together: every one is a round trip, and
   * unlike lifecycles/s the count does not move with the host's speed. Null on PGlite.
   */
  statementsPerLifecycle: number | null;
  /**
   * Where the slowest moments were: the five slowest calls (when each started, in s into the measured
   * window), the server's longest event-loop delay in the window and its major garbage collections — calls
   * all slow at one instant with a long loop delay point at the server's thread, without one at the database.
   */
  slowest: { call: CallKind; ms: number; atSec: number }[];
  server: { loopMaxMs: number | null; majorGc: { count: number; seconds: number; over100ms: number } | null };
  /**
   * Did the jobs (outbox dispatch, SMS) keep up? Events and notifications not yet handled when the load
   * stopped, and how long the server took to clear them (PostgreSQL; on PGlite: what was left when it stopped).
   */
  jobs?: { outbox: number; notifications: number; drainSeconds: number | null };
};

type Backlog = { outbox: number; notifications: number };

async function backlog(db: Kysely<Database>): Promise<Backlog> {
  const r = await sql<Backlog>`SELECT
      (SELECT count(*)::int FROM outbox_events WHERE status <> 'dispatched') AS outbox,
      (SELECT count(*)::int FROM notifications WHERE status IN ('pending','retry','sending')) AS notifications`.execute(
    db,
  );
  return r.rows[0] ?? { outbox: 0, notifications: 0 };
}

async function runPass(
  server: ServerUnderTest,
  opts: Options,
  pass: PassResult['pass'],
  casesInDb: number,
  log: (line: string) => void,
): Promise<PassResult> {
  const base = server.url;
  const item = await findItem(base, opts.item);
  log(`  item ${opts.item} (${item.code}): ${item.steps.join(' → ')}`);
  const clients: Client[] = [];
  for (let i = 0; i < opts.clients; i += 1) {
    clients.push({
      clerk: await login(base, 'clerk'),
      reviewer: await login(base, 'reviewer'),
      approver: await login(base, 'approver'),
    });
  }
  const samples: Sample[] = [];
  const lifecycles: { start: number; end: number }[] = [];
  const errors: (ErrorRecord & { at: number })[] = [];
  const t0 = performance.now();
  const measureFrom = t0 + opts.warmup * 1000;
  const stopAt = measureFrom + opts.duration * 1000;
  let seq = 0;
  let cpuA: CpuSnapshot | undefined;
  let metricsA: Promise<ServerMetrics> | undefined;
  const rss: number[] = [];
  const sampler = setInterval(() => {
    const now = performance.now();
    if (now >= measureFrom && !cpuA) {
      cpuA = cpuSnapshot(server.pid);
      metricsA = serverMetrics(base);
    }
    if (now >= measureFrom && now <= stopAt) {
      const r = rssMB(server.pid);
      if (r) rss.push(r.rss);
    }
  }, 250);
  const progressTimer = setInterval(() => {
    const now = performance.now();
    const done = lifecycles.filter((l) => l.end > now - 5000).length;
    log(
      `  ${pass} ${Math.round((now - t0) / 1000)} s${now < measureFrom ? ' (warm-up)' : ''}: ${round(done / 5, 1)} lifecycles/s, ${errors.length} errors`,
    );
  }, 5000);
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < stopAt) {
        const start = performance.now();
        try {
          await lifecycle(base, item.code, c, samples, seq++);
          lifecycles.push({ start, end: performance.now() });
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          errors.push({ kind: err.kind, status: err.status, code: err.code, at: performance.now() });
          if (errors.length > 200 && errors.length > lifecycles.length)
            throw new Error(`too many errors; last: ${err.message}`);
        }
      }
    }),
  );
  clearInterval(sampler);
  clearInterval(progressTimer);
  const cpuB = cpuSnapshot(server.pid);
  const metricsB = await serverMetrics(base);
  const mA = await metricsA;
  const sA = mA?.statements ?? null;
  const statementsB = metricsB.statements;
  const end = Math.min(performance.now(), stopAt);
  const seconds = (end - measureFrom) / 1000;
  const inWindow = samples.filter((s) => s.start >= measureFrom && s.start + s.ms <= end);
  const done = lifecycles.filter((l) => l.end >= measureFrom && l.end <= end);
  const errs = errors.filter((e) => e.at >= measureFrom && e.at <= end);
  const byKind: Record<string, number> = {};
  for (const e of errs) {
    const k = `${e.kind} ${e.status} ${e.code}`;
    byKind[k] = (byKind[k] ?? 0) + 1;
  }
  const hwm = rssMB(server.pid)?.peak ?? null;
  const cpu = cpuUse(cpuA ?? cpuB, cpuB);
  return {
    pass,
    casesInDb,
    seconds: round(seconds, 1),
    lifecycles: done.length,
    lifecyclesPerSec: round(done.length / seconds, 1),
    transitionsPerSec: round(inWindow.filter((s) => transitionKinds.includes(s.kind)).length / seconds, 1),
    requestsPerSec: round(inWindow.length / seconds, 1),
    lifecycleMs: stats(done.map((l) => l.end - l.start)),
    all: stats(inWindow.map((s) => s.ms)),
    byCall: Object.fromEntries(
      callKinds.map((k) => [k, stats(inWindow.filter((s) => s.kind === k).map((s) => s.ms))]),
    ) as Record<CallKind, Stats>,
    errors: { total: errs.length, byKind },
    rssMB: {
      mean: rss.length ? Math.round(rss.reduce((a, b) => a + b, 0) / rss.length) : 0,
      max: rss.length ? Math.max(...rss) : 0,
      peakHWM: server.inProcess ? null : hwm,
    },
    cpu,
    statementsPerLifecycle:
      sA !== null && statementsB !== null && done.length ? round((statementsB - sA) / done.length, 1) : null,
    slowest: [...inWindow]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map((x) => ({ call: x.kind, ms: round(x.ms, 1), atSec: round((x.start - measureFrom) / 1000, 2) })),
    server: {
      loopMaxMs: metricsB.loopMaxMs,
      majorGc:
        mA?.majorGc && metricsB.majorGc
          ? {
              count: metricsB.majorGc.count - mA.majorGc.count,
              seconds: round(metricsB.majorGc.seconds - mA.majorGc.seconds, 3),
              over100ms: metricsB.majorGc.over100ms - mA.majorGc.over100ms,
            }
          : null,
    },
    cpuMsPerLifecycle: {
      // In-process, the server's CPU is the benchmark process's own (load generator included).
      server: done.length
        ? round(((server.inProcess ? cpu.loadGenerator : cpu.server) * seconds * 1000) / done.length, 1)
        : 0,
      postgres: done.length ? round((cpu.postgres * seconds * 1000) / done.length, 1) : 0,
    },
  };
}

/**
 * Bring the generated history to the state a running system would be in, so the loaded pass measures the
 * lifecycles and not the jobs catching up on it. `generateCases` leaves (a) accepted cases past their
 * yellow-warning day with `warning_sent = false`, and (b) cases registered or submitted more than 5 working
 * days ago that art. 32 would have accepted. (a) is history: the flag is set as if the warning had gone out
 * then. (b) runs the art. 32 (and deemed-approval) job itself until nothing is left, then the outbox and
 * notifications it produced are delivered. Without this the periodic jobs work through the backlog (500
 * cases per run) during the loaded pass.
 */
async function settle(
  engine: Engine,
  databaseUrl: string | undefined,
  dataDir: string | undefined,
  env: NodeJS.ProcessEnv,
  until: Date,
  log: (line: string) => void,
): Promise<{ seconds: number; warnings: number; autoAccepted: number; deemed: number }> {
  const t0 = performance.now();
  const handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
  try {
    const warned = await sql`UPDATE cases SET warning_sent = true
      WHERE status IN ('accepted','suspended') AND NOT warning_sent AND warn_at < ${until}`.execute(
      handle.db,
    );
    await sql`UPDATE cases SET deficiency_notified = true
      WHERE deficiency_pending AND NOT deficiency_notified AND deficiency_due < ${civilDate(until)}`.execute(
      handle.db,
    );
    const config = loadConfig({ ...env, LOG_LEVEL: 'error' });
    const runner = createJobRunner({ handle, config });
    let autoAccepted = 0;
    let deemed = 0;
    for (;;) {
      const n = await runArt32(runner.context());
      autoAccepted += n;
      if (n === 0) break;
    }
    for (;;) {
      const n = await runDeemedApprovals(runner.context());
      deemed += n;
      if (n === 0) break;
    }
    // The history's supervision figures, set-based, so the consumer is not working off a million queued
    // cases during the loaded pass.
    await backfillSupervision(handle.db);
    await runner.drain();
    await runner.stop();
    const seconds = round((performance.now() - t0) / 1000, 1);
    const warnings = Number(warned.numAffectedRows ?? 0);
    log(
      `[${engine}] settled the history in ${seconds} s: ${warnings.toLocaleString('en')} past warnings marked sent, ${autoAccepted} cases accepted by art. 32, ${deemed} deemed approvals, outbox delivered`,
    );
    return { seconds, warnings, autoAccepted, deemed };
  } finally {
    await handle.close();
  }
}

// An engine: database, passes, clean-up ----------------------------------------------------------------

type EngineResult = {
  /** `external`: a server started elsewhere (`--url`), e.g. two nodes behind nginx. */
  engine: Engine | 'external';
  casesLoaded: number;
  loadSeconds: number | null;
  loadRatePerSec: number | null;
  settled: { seconds: number; warnings: number; autoAccepted: number; deemed: number } | null;
  seedSeconds: number;
  databaseMB: number;
  databaseFolderMB?: number;
  passes: PassResult[];
  loadedVsEmptyPct: number | null;
  /** Server + PostgreSQL CPU per lifecycle, loaded as % of empty: less sensitive to a busy machine. */
  cpuPerLifecycleLoadedVsEmptyPct: number | null;
  profiles: string[];
  reads: ReadResult[];
};

async function folderBytes(dir: string): Promise<number> {
  let sum = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sum += await folderBytes(p);
    else if (e.isFile()) sum += (await stat(p)).size;
  }
  return sum;
}

async function runEngine(
  engine: Engine,
  opts: Options,
  stamp: string,
  log: (line: string) => void,
): Promise<EngineResult> {
  const count = opts.cases[engine] ?? (opts.quick ? 10_000 : DEFAULT_CASES[engine]);
  let dataDir: string | undefined;
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  const filesDir = await mkdtemp(join(tmpdir(), 'tongban-bench-files-'));
  if (engine === 'pglite') {
    dataDir = await mkdtemp(join(tmpdir(), 'tongban-bench-'));
  } else {
    const admin = new pg.Client({ connectionString: opts.pgUrl });
    await admin.connect();
    const name = `tongban_bench_lifecycle_${Date.now().toString(36)}`;
    await admin.query(
      `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
    await admin.end();
    const u = new URL(opts.pgUrl);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: opts.pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl ?? '',
    // PGlite keeps its database there; both engines keep uploads and documents in <DATA_DIR>/files.
    DATA_DIR: dataDir ?? filesDir,
    SEED_DEMO: 'true',
    JOBS_ENABLED: 'true',
    WORKERS: engine === 'postgres' ? String(opts.workers) : '1',
    LOG_LEVEL: 'warn',
    // The schema caps it at 10,000 a minute; every client logs in three times per pass.
    LOGIN_RATE_PER_MINUTE: '10000',
  };
  const resultsDir = resolve('bench/results');
  const profiles: string[] = [];
  const passes: PassResult[] = [];
  const reads: ReadResult[] = [];
  let loadSeconds: number | null = null;
  let settled: Awaited<ReturnType<typeof settle>> | null = null;
  try {
    // The demo organisation and catalog, as the first start loads them. The demo seed's ~300 cases are left
    // out so that the loaded pass holds exactly the N historical cases asked for.
    log(`\n[${engine}] seeding the demo organisation and catalog …`);
    const t0 = performance.now();
    let handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
    await migrate(handle.db);
    await seedDemoOrganisation(handle.db);
    await seedDemoCatalog(handle.db);
    await handle.close();
    const seedSeconds = round((performance.now() - t0) / 1000, 1);
    log(`[${engine}] seeded in ${seedSeconds} s${databaseUrl ? '' : ` (${dataDir})`}`);

    const serve = async (pass: PassResult['pass'], casesInDb: number) => {
      const withReads = opts.scenarios.length > 0 && pass === (count > 0 ? 'loaded' : 'empty');
      let pgliteReadData: ReadData | undefined;
      if (withReads && !databaseUrl) {
        const h = await openDatabase({ dataDir });
        pgliteReadData = await sampleReadData(h.db);
        await h.close();
      }
      const profileDir = opts.profile
        ? join(resultsDir, `lifecycle-${stamp}-${engine}-${pass}-cpuprofile`)
        : undefined;
      const server = await startServer({
        env,
        inProcess: opts.inProcess,
        cpuProfDir: profileDir,
        logFile: join(resultsDir, `lifecycle-${stamp}-${engine}-${pass}.log`),
      });
      log(
        `[${engine}] ${pass} pass: server ${server.url} (pid ${server.pid}), ${opts.clients} clients, ${opts.warmup} s warm-up + ${opts.duration} s`,
      );
      let r: PassResult | undefined;
      try {
        r = await runPass(server, opts, pass, casesInDb, log);
        passes.push(r);
        if (withReads) {
          // On PostgreSQL sampled after the pass, so an empty database offers the cases its lifecycles just
          // filed; PGlite's folder belongs to the running server, so its sample was taken before it started.
          let readData = pgliteReadData;
          if (databaseUrl) {
            const h = await openDatabase({ databaseUrl, poolSize: 1 });
            readData = await sampleReadData(h.db);
            await h.close();
          }
          if (readData) reads.push(...(await readsOn(server, readData, opts, log)));
        }
        if (databaseUrl) {
          const h = await openDatabase({ databaseUrl, poolSize: 1 });
          try {
            const at = performance.now();
            const left = await backlog(h.db);
            let b = left;
            while (b.outbox + b.notifications > 0 && performance.now() - at < 60_000) {
              await new Promise((res) => setTimeout(res, 250));
              b = await backlog(h.db);
            }
            r.jobs = {
              ...left,
              drainSeconds:
                b.outbox + b.notifications === 0 ? round((performance.now() - at) / 1000, 1) : null,
            };
          } finally {
            await h.close();
          }
        }
        log(
          `[${engine}] ${pass}: ${r.lifecyclesPerSec} lifecycles/s, ${r.transitionsPerSec} transitions/s, p99 ${r.all.p99} ms, ${r.errors.total} errors, RSS max ${r.rssMB.max} MB; CPU server ${r.cpu.server}, postgres ${r.cpu.postgres}, load generator ${r.cpu.loadGenerator}, other ${r.cpu.other}, stolen by the host ${r.cpu.stolen} cores${r.cpu.serverKernelPct !== null ? ` (server ${r.cpu.serverKernelPct} % in the kernel, its main thread switched out ${r.cpu.serverSwitchedOutPerSec}/s)` : ''}; CPU per lifecycle server ${r.cpuMsPerLifecycle.server} ms, postgres ${r.cpuMsPerLifecycle.postgres} ms${r.statementsPerLifecycle !== null ? `; ${r.statementsPerLifecycle} SQL statements per lifecycle` : ''}`,
        );
      } finally {
        await server.stop();
      }
      if (r && !databaseUrl) {
        const h = await openDatabase({ dataDir });
        r.jobs = { ...(await backlog(h.db)), drainSeconds: null };
        await h.close();
      }
      if (r?.jobs)
        log(
          `[${engine}] ${pass}: jobs backlog when the load stopped: ${r.jobs.outbox} events, ${r.jobs.notifications} notifications${r.jobs.drainSeconds !== null ? `, cleared in ${r.jobs.drainSeconds} s` : ''}`,
        );
      if (profileDir) profiles.push(...(await readdir(profileDir)).map((f) => join(profileDir, f)));
    };

    if (!opts.skipEmpty) await serve('empty', 0);

    if (count > 0) {
      handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
      log(`[${engine}] loading ${count.toLocaleString('en')} historical cases (batches of ${opts.batch}) …`);
      const l0 = performance.now();
      let lastLog = l0;
      // Up to the start of today, so no historical number can meet one the lifecycles hand out today.
      const until = new Date(`${civilDate(new Date())}T00:00:00+08:00`);
      await generateCases(handle.db, {
        count,
        days: 365,
        until,
        batch: opts.batch,
        onProgress: (done) => {
          const t = performance.now();
          if (t - lastLog > 10_000 || done === count) {
            lastLog = t;
            const s = (t - l0) / 1000;
            log(
              `  ${done.toLocaleString('en')} cases, ${Math.round(s)} s, ${Math.round(done / s).toLocaleString('en')} cases/s`,
            );
          }
        },
      });
      loadSeconds = round((performance.now() - l0) / 1000, 1);
      await handle.close();
      log(
        `[${engine}] loaded in ${loadSeconds} s (${Math.round(count / loadSeconds).toLocaleString('en')} cases/s)`,
      );
      if (opts.settle) settled = await settle(engine, databaseUrl, dataDir, env, until, log);
      handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
      const a0 = performance.now();
      // What autovacuum does soon after a bulk insert (visibility map, statistics): without it the first
      // minutes of the loaded pass would measure the cleanup instead of the platform.
      await sql`VACUUM (ANALYZE)`.execute(handle.db);
      if (engine === 'postgres') await sql`CHECKPOINT`.execute(handle.db);
      log(
        `[${engine}] VACUUM (ANALYZE)${engine === 'postgres' ? ' + CHECKPOINT' : ''} ${round((performance.now() - a0) / 1000, 1)} s`,
      );
      await handle.close();
      await serve('loaded', count);
    }

    handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
    const size = await sql<{ bytes: number }>`SELECT pg_database_size(current_database()) AS bytes`.execute(
      handle.db,
    );
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(handle.db);
    await handle.close();
    const databaseMB = Math.round(Number(size.rows[0]?.bytes ?? 0) / 2 ** 20);
    const empty = passes.find((p) => p.pass === 'empty');
    const loaded = passes.find((p) => p.pass === 'loaded');
    log(`[${engine}] database: ${rows.rows[0]?.n.toLocaleString('en')} cases, ${databaseMB} MB`);
    return {
      engine,
      casesLoaded: count,
      loadSeconds,
      loadRatePerSec: loadSeconds ? Math.round(count / loadSeconds) : null,
      settled,
      seedSeconds,
      databaseMB,
      ...(dataDir ? { databaseFolderMB: Math.round((await folderBytes(dataDir)) / 2 ** 20) } : {}),
      passes,
      reads,
      loadedVsEmptyPct:
        empty && loaded ? Math.round((loaded.lifecyclesPerSec / empty.lifecyclesPerSec) * 100) : null,
      cpuPerLifecycleLoadedVsEmptyPct:
        empty && loaded
          ? Math.round(
              ((loaded.cpuMsPerLifecycle.server + loaded.cpuMsPerLifecycle.postgres) /
                (empty.cpuMsPerLifecycle.server + empty.cpuMsPerLifecycle.postgres)) *
                100,
            )
          : null,
      profiles,
    };
  } finally {
    if (opts.keep) {
      log(`[${engine}] kept: ${databaseUrl ?? dataDir}`);
    } else {
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
      if (dropDb) await dropDb();
    }
    await rm(filesDir, { recursive: true, force: true });
  }
}

function readsOn(
  server: ServerUnderTest,
  data: ReadData,
  opts: Options,
  log: (line: string) => void,
): Promise<ReadResult[]> {
  return runReads({
    base: server.url,
    data,
    scenarios: opts.scenarios,
    clients: opts.readClients,
    warmup: opts.readWarmup,
    duration: opts.readDuration,
    serverPid: server.pid,
    log,
  });
}

/**
 * `--url`: one pass and the read scenarios against a server started elsewhere — two nodes behind nginx
 * (scripts/scale-out.mjs) — whose database already holds the demo organisation and catalog. Server RSS and
 * CPU are not known here (the processes are not ours); PostgreSQL's CPU is.
 */
async function runExternal(opts: Options, log: (line: string) => void): Promise<EngineResult> {
  const url = (opts.url as string).replace(/\/+$/, '');
  const server: ServerUnderTest = { url, pid: 0, inProcess: false, stop: async () => {} };
  let data: ReadData | undefined;
  let casesInDb = 0;
  let databaseMB = 0;
  if (opts.databaseUrl) {
    const h = await openDatabase({ databaseUrl: opts.databaseUrl, poolSize: 1 });
    data = await sampleReadData(h.db);
    const n = await sql<{ n: number; bytes: number }>`SELECT count(*)::int AS n,
      pg_database_size(current_database()) AS bytes FROM cases`.execute(h.db);
    casesInDb = n.rows[0]?.n ?? 0;
    databaseMB = Math.round(Number(n.rows[0]?.bytes ?? 0) / 2 ** 20);
    await h.close();
  }
  log(`\n[external] ${url}: ${opts.clients} clients, ${opts.warmup} s warm-up + ${opts.duration} s`);
  const r = await runPass(server, opts, 'loaded', casesInDb, log);
  log(
    `[external] ${r.lifecyclesPerSec} lifecycles/s, ${r.transitionsPerSec} transitions/s, p99 ${r.all.p99} ms, ${r.errors.total} errors`,
  );
  const reads = data && opts.scenarios.length ? await readsOn(server, data, opts, log) : [];
  if (!data && opts.scenarios.length) log('[external] read scenarios skipped: --database-url not given');
  return {
    engine: 'external',
    casesLoaded: 0,
    loadSeconds: null,
    loadRatePerSec: null,
    settled: null,
    seedSeconds: 0,
    databaseMB,
    passes: [r],
    reads,
    loadedVsEmptyPct: null,
    cpuPerLifecycleLoadedVsEmptyPct: null,
    profiles: [],
  };
}

/** The machine's limits in this run, and our figures as a share of them. */
type Limits = {
  pgbench: PgbenchResult | { skipped: string };
  bare: BareResult;
  disk: DiskFlushResult;
  ratios: {
    engine: string;
    transitionsPerSec: number;
    /** Our transitions/s ÷ pgbench's TPC-B transactions/s. */
    transitionsVsPgbench: number | null;
    requestsPerSec: number;
    /** Our requests/s ÷ the bare Fastify server's. */
    requestsVsBare: number;
  }[];
};

function referencePass(r: EngineResult): PassResult | undefined {
  return r.passes.find((p) => p.pass === 'loaded') ?? r.passes[0];
}

async function measureLimits(
  opts: Options,
  results: EngineResult[],
  log: (line: string) => void,
): Promise<Limits> {
  log(`\n[limits] the machine's limit with ${opts.clients} clients …`);
  const usesPostgres = opts.engines.includes('postgres') || !!opts.url;
  const pgbench = usesPostgres
    ? await runPgbench({
        pgUrl: opts.pgUrl,
        clients: opts.clients,
        seconds: opts.limitDuration,
        ...(opts.quick ? { scale: 2 } : {}),
        log,
      })
    : { skipped: 'no PostgreSQL in this run' };
  if ('tps' in pgbench) log(`[limits] pgbench: ${pgbench.tps} tps, latency ${pgbench.latencyMs} ms`);
  else log(`[limits] pgbench skipped: ${pgbench.skipped}`);
  const bare = await runBareFastify({
    clients: opts.clients,
    seconds: opts.limitDuration,
    warmup: opts.quick ? 1 : 3,
  });
  log(`[limits] bare Fastify: ${bare.requestsPerSec} req/s, p99 ${bare.latency.p99} ms`);
  const disk = probeDiskFlush(resolve('bench/results'), opts.limitDuration);
  log(
    `[limits] disk flush (8 KB + fdatasync): p50 ${disk.latencyMs.p50} ms, p99 ${disk.latencyMs.p99} ms, max ${disk.latencyMs.max} ms, ${disk.over100ms.length} over 100 ms`,
  );
  const ratios: Limits['ratios'] = [];
  for (const r of results) {
    const p = referencePass(r);
    if (!p) continue;
    ratios.push({
      engine: r.engine,
      transitionsPerSec: p.transitionsPerSec,
      transitionsVsPgbench:
        'tps' in pgbench && r.engine !== 'pglite' && pgbench.tps > 0
          ? round(p.transitionsPerSec / pgbench.tps, 3)
          : null,
      requestsPerSec: p.requestsPerSec,
      requestsVsBare: bare.requestsPerSec > 0 ? round(p.requestsPerSec / bare.requestsPerSec, 3) : 0,
    });
  }
  return { pgbench, bare, disk, ratios };
}

function limitLines(limits: Limits): string[] {
  const lines = ['', '| physical limit (same run, same client count) | figure |', '|---|---:|'];
  const pb = limits.pgbench;
  if ('tps' in pb)
    lines.push(
      `| pgbench TPC-B-like, scale ${pb.scale}, ${pb.clients} clients, ${pb.threads} threads, ${pb.seconds} s | **${pb.tps} tps** (latency ${pb.latencyMs} ms, ${pb.failed} failed) |`,
    );
  else lines.push(`| pgbench | skipped: ${pb.skipped} |`);
  const b = limits.bare;
  lines.push(
    `| bare Fastify "hello", ${b.clients} clients, ${b.seconds} s | **${b.requestsPerSec} req/s** (p50 ${b.latency.p50} / p99 ${b.latency.p99} ms, ${b.errors} errors, RSS ${b.rssMaxMB} MB) |`,
    `| disk flush (8 KB write + fdatasync), ${limits.disk.seconds} s, ${limits.disk.flushes.toLocaleString('en')} flushes | p50 ${limits.disk.latencyMs.p50} / p99 ${limits.disk.latencyMs.p99} / **max ${limits.disk.latencyMs.max} ms**${limits.disk.over100ms.length ? ` (over 100 ms: ${limits.disk.over100ms.map(([at, ms]) => `${ms} ms at ${at} s`).join(', ')})` : ''} |`,
    '',
    '| engine | transitions/s | ÷ pgbench tps | requests/s | ÷ bare Fastify req/s |',
    '|---|---:|---:|---:|---:|',
  );
  for (const r of limits.ratios)
    lines.push(
      `| ${r.engine} | ${r.transitionsPerSec} | ${r.transitionsVsPgbench ?? '–'} | ${r.requestsPerSec} | ${r.requestsVsBare} |`,
    );
  return lines;
}

function readLines(results: EngineResult[]): string[] {
  const rows = results.flatMap((r) => r.reads.map((x) => ({ engine: r.engine, x })));
  if (rows.length === 0) return [];
  const lines = [
    '',
    '| engine | read scenario | clients | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | server RSS max MB | target | met |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const { engine, x } of rows)
    lines.push(
      `| ${engine} | ${x.scenario} | ${x.clients} | ${x.requestsPerSec} | ${x.all.p50} | ${x.all.p95} | ${x.all.p99} | ${x.all.max} | ${x.errors.total} | ${x.rssMaxMB || '–'} | ${x.target.what} ≤ ${x.target.limit} ms | ${x.target.met ? 'yes' : '**no**'} |`,
    );
  // Scenarios that mix calls (catalog: searches and power lists; board: the dashboard's calls), call by call.
  const mixed = rows.filter(({ x }) => Object.keys(x.byCall).length > 1);
  if (mixed.length > 0) {
    lines.push(
      '',
      '| engine | read scenario | clients | call | n | p50 ms | p95 ms | p99 ms | max ms |',
      '|---|---|---:|---|---:|---:|---:|---:|---:|',
    );
    for (const { engine, x } of mixed)
      for (const [call, st] of Object.entries(x.byCall))
        lines.push(
          `| ${engine} | ${x.scenario} | ${x.clients} | ${call} | ${st.n} | ${st.p50} | ${st.p95} | ${st.p99} | ${st.max} |`,
        );
  }
  return lines;
}

// Report -----------------------------------------------------------------------------------------------

type Target = {
  what: string;
  target: string;
  value: string;
  met: boolean | null;
  /**
   * How far a missed target is, as a factor and in its own unit: "needs 4.9× (199 more)",
   * "31 ms over (1.3× the limit)".
   */
  short?: string;
};

/** A target on a measured number: `≥ limit` when more is better, else `≤ limit`. */
export function goal(
  what: string,
  measured: number,
  limit: number,
  more: boolean,
  unit: string,
  applies = true,
): Target {
  const met = more ? measured >= limit : measured <= limit;
  const u = unit ? ` ${unit}` : '';
  const short =
    met || !applies
      ? undefined
      : more
        ? `needs ${measured > 0 ? `${(limit / measured).toFixed(1)}×` : '∞'} (${round(limit - measured, 2)}${u} more)`
        : `${round(measured - limit, 2)}${u} over (${(measured / limit).toFixed(1)}× the limit)`;
  return {
    what,
    target: `${more ? '≥' : '≤'} ${limit}${u}`,
    value: `${measured}${u}`,
    met: applies ? met : null,
    ...(short ? { short } : {}),
  };
}

function targets(results: EngineResult[], limits?: Limits): Target[] {
  const out: Target[] = [];
  for (const l of limits?.ratios ?? [])
    if (l.transitionsVsPgbench !== null)
      out.push(
        goal(`transitions/s vs pgbench tps (${l.engine})`, l.transitionsVsPgbench, 0.5, true, '× pgbench'),
      );
  for (const r of results)
    for (const x of r.reads)
      out.push(
        goal(
          `${x.target.what} (${r.engine}, ${x.clients} client${x.clients === 1 ? '' : 's'})`,
          x.target.value,
          x.target.limit,
          false,
          'ms',
        ),
      );
  for (const r of results) {
    const loaded = r.passes.find((p) => p.pass === 'loaded');
    const ref = loaded ?? r.passes[0];
    if (!ref) continue;
    const at = `${r.engine}, ${ref.casesInDb.toLocaleString('en')} cases`;
    const worstP99 = Math.max(...callKinds.map((k) => ref.byCall[k].p99));
    if (r.engine !== 'pglite') {
      const full = ref.casesInDb >= 1_000_000;
      out.push(goal(`lifecycles/s (${at})`, ref.lifecyclesPerSec, 250, true, '', full));
      out.push(goal(`p99 of every call (${at})`, worstP99, 100, false, 'ms', full));
      out.push(goal(`public progress query p99 (${at})`, ref.byCall.progress.p99, 20, false, 'ms'));
    } else {
      out.push(goal(`lifecycles/s (${at})`, ref.lifecyclesPerSec, 100, true, '', ref.casesInDb >= 100_000));
    }
    if (r.loadedVsEmptyPct !== null)
      out.push(
        goal(
          `throughput at ${r.casesLoaded.toLocaleString('en')} cases vs empty (${r.engine})`,
          r.loadedVsEmptyPct,
          80,
          true,
          '%',
        ),
      );
    // The highest of the lifecycle passes and the read scenarios: a flat-out read load grows the heap too.
    const rss = Math.max(...r.passes.map((p) => p.rssMB.max), ...r.reads.map((x) => x.rssMaxMB));
    out.push(goal(`server RSS under load (${r.engine}, lifecycles and reads)`, rss, 500, false, 'MB'));
  }
  return out;
}

/** What each CPU profile of the run shows (`--profile`): the server's self time by package, the top few. */
async function profileLines(results: EngineResult[]): Promise<string[]> {
  const lines: string[] = [];
  // The main thread of each server process (`CPU.<date>.<time>.<pid>.0.<n>`), not the module loader's.
  for (const r of results)
    for (const path of r.profiles.filter((p) => /\.\d+\.0\.\d+\.cpuprofile$/.test(p))) {
      const shares = packageShares(JSON.parse(await readFile(path, 'utf8')) as Profile).slice(0, 8);
      lines.push(
        `- ${r.engine}, ${/-(empty|loaded)-cpuprofile$/.exec(basename(dirname(path)))?.[1] ?? ''} pass (${basename(path)}): ${shares
          .map(([where, pct]) => `${where} ${pct} %`)
          .join(', ')}`,
      );
    }
  return lines.length
    ? [
        '',
        'What the CPU profile shows (the server process, self time by package over the whole pass; details: `npx tsx bench/lib/cpuprofile.ts FILE`):',
        '',
        ...lines,
      ]
    : [];
}

function report(
  opts: Options,
  facts: Awaited<ReturnType<typeof machineFacts>>,
  results: EngineResult[],
  inProcess: boolean,
  limits?: Limits,
): string[] {
  const pgFacts = facts.postgres
    ? `; PostgreSQL ${facts.postgres.version} (shared_buffers ${facts.postgres.settings.shared_buffers}, synchronous_commit ${facts.postgres.settings.synchronous_commit})`
    : '';
  const lines = [
    `case lifecycle — ${opts.item}, ${opts.clients} clients, ${opts.warmup} s warm-up + ${opts.duration} s per pass${opts.quick ? ' (quick)' : ''}`,
    `machine: ${facts.cores} × ${facts.cpuModel}, ${facts.memoryGiB} GiB, ${facts.os}; Node ${facts.node}${pgFacts}; code ${facts.commit}`,
    `server: ${inProcess ? 'in the benchmark process (RSS includes the load generator)' : `child process \`node bin/tongban.mjs start\`${opts.workers > 1 ? ` with WORKERS=${opts.workers} on PostgreSQL (CPU and RSS: the primary and its workers together)` : ''}, jobs on (RSS from /proc/<pid>/status)`}`,
    '',
    '| engine | pass | cases in DB | lifecycles/s | transitions/s | req/s | lifecycle p50 ms | all calls p99 ms | errors | jobs backlog at end (events) | server RSS mean/max MB | CPU server / postgres / load gen / other / stolen (cores) | server in kernel / switched out per s | CPU ms per lifecycle server / postgres | SQL statements per lifecycle | load avg |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|',
  ];
  for (const r of results) {
    for (const p of r.passes) {
      lines.push(
        `| ${r.engine} | ${p.pass} | ${p.casesInDb.toLocaleString('en')} | **${p.lifecyclesPerSec}** | ${p.transitionsPerSec} | ${p.requestsPerSec} | ${p.lifecycleMs.p50} | ${p.all.p99} | ${p.errors.total} | ${p.jobs ? `${p.jobs.outbox}${p.jobs.drainSeconds !== null ? ` (${p.jobs.drainSeconds} s)` : ''}` : '–'} | ${p.rssMB.mean} / ${p.rssMB.max} | ${p.cpu.server} / ${p.cpu.postgres} / ${p.cpu.loadGenerator} / ${p.cpu.other} / ${p.cpu.stolen} | ${p.cpu.serverKernelPct !== null ? `${p.cpu.serverKernelPct} % / ${p.cpu.serverSwitchedOutPerSec}` : '–'} | ${p.cpuMsPerLifecycle.server} / ${p.cpuMsPerLifecycle.postgres} | ${p.statementsPerLifecycle ?? '–'} | ${p.cpu.loadavg1} |`,
      );
    }
  }
  lines.push(
    '',
    '| engine | cases loaded | load time | load rate | settling the history | database size | throughput loaded vs empty | CPU per lifecycle loaded vs empty |',
    '|---|---:|---:|---:|---|---:|---:|---:|',
  );
  for (const r of results) {
    lines.push(
      `| ${r.engine} | ${r.casesLoaded.toLocaleString('en')} | ${r.loadSeconds ?? '–'} s | ${r.loadRatePerSec?.toLocaleString('en') ?? '–'} cases/s | ${r.settled ? `${r.settled.seconds} s (${r.settled.warnings.toLocaleString('en')} warnings marked, ${r.settled.autoAccepted} art. 32)` : '–'} | ${r.databaseMB} MB${r.databaseFolderMB ? ` (folder ${r.databaseFolderMB} MB)` : ''} | ${r.loadedVsEmptyPct ?? '–'} % | ${r.cpuPerLifecycleLoadedVsEmptyPct ?? '–'} % |`,
    );
  }
  lines.push(
    '',
    '| engine | pass | call | n | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---:|---:|---:|---:|---:|',
  );
  for (const r of results) {
    for (const p of r.passes) {
      for (const k of callKinds) {
        const s = p.byCall[k];
        lines.push(`| ${r.engine} | ${p.pass} | ${k} | ${s.n} | ${s.p50} | ${s.p95} | ${s.p99} | ${s.max} |`);
      }
    }
  }
  lines.push('');
  for (const r of results)
    for (const p of r.passes) {
      const gc = p.server.majorGc;
      lines.push(
        `Slowest calls, ${r.engine} ${p.pass}: ${p.slowest.map((x) => `${x.call} ${x.ms} ms at ${x.atSec} s`).join(', ')}; the server's longest event-loop delay ${p.server.loopMaxMs ?? '–'} ms; major GCs ${gc ? `${gc.count} (${gc.seconds} s, ${gc.over100ms} over 100 ms)` : '–'}.`,
      );
    }
  lines.push(...readLines(results));
  if (limits) lines.push(...limitLines(limits));
  const errs = results.flatMap((r) =>
    r.passes.flatMap((p) =>
      Object.entries(p.errors.byKind).map(([k, n]) => `${r.engine} ${p.pass}: ${k} × ${n}`),
    ),
  );
  if (errs.length) lines.push('', 'errors:', ...errs.map((e) => `- ${e}`));
  const ts = targets(results, limits);
  if (ts.length) {
    lines.push('', '| target (issue 7) | target | measured | met | short by |', '|---|---|---:|---|---|');
    for (const t of ts)
      lines.push(
        `| ${t.what} | ${t.target} | ${t.value} | ${t.met === null ? 'n/a (too few cases loaded)' : t.met ? 'yes' : '**no**'} | ${t.short ?? ''} |`,
      );
  }
  return lines;
}

function parseScenarios(list: string): ReadScenario[] {
  if (list === 'none' || list === '') return [];
  const out = list.split(',').map((x) => x.trim()) as ReadScenario[];
  for (const x of out)
    if (!readScenarios.includes(x))
      throw new Error(`unknown read scenario ${x} (${readScenarios.join(', ')} or none)`);
  return out;
}

/**
 * `--read-clients 1,4,16`; by default one client, four and `--clients` (the latency of a request alone, at a
 * light load and flat out), or `--clients` alone in quick mode.
 */
export function readConcurrencies(given: string | undefined, clients: number, quick: boolean): number[] {
  const list = given ? given.split(',').map((c) => Number(c.trim())) : quick ? [clients] : [1, 4, clients];
  for (const c of list)
    if (!Number.isInteger(c) || c < 1)
      throw new Error(`--read-clients: ${given} is not a list of client counts`);
  return [...new Set(list)].sort((a, b) => a - b);
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      engine: { type: 'string', default: 'both' },
      cases: { type: 'string' },
      clients: { type: 'string', default: '16' },
      workers: { type: 'string', default: '1' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      quick: { type: 'boolean', default: false },
      item: { type: 'string', default: '食品经营许可变更' },
      'skip-empty': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'in-process': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'no-settle': { type: 'boolean', default: false },
      batch: { type: 'string', default: '5000' },
      scenarios: { type: 'string', default: readScenarios.join(',') },
      'read-clients': { type: 'string' },
      'read-warmup': { type: 'string' },
      'read-duration': { type: 'string' },
      'no-limits': { type: 'boolean', default: false },
      'limit-duration': { type: 'string' },
      url: { type: 'string' },
      'database-url': { type: 'string' },
      'pg-url': {
        type: 'string',
        default: defaultPgUrl(),
      },
    },
  });
  const quick = values.quick;
  const engines: Engine[] =
    values.engine === 'both'
      ? ['postgres', 'pglite']
      : (values.engine.split(',').map((e) => e.trim()) as Engine[]);
  for (const e of engines) if (e !== 'postgres' && e !== 'pglite') throw new Error(`unknown engine ${e}`);
  const cases: Options['cases'] = {};
  if (values.cases !== undefined)
    for (const e of engines) cases[e] = Number(values.cases.replaceAll('_', ''));
  const opts: Options = {
    engines,
    cases,
    clients: Number(values.clients),
    workers: Number(values.workers),
    duration: Number(values.duration ?? (quick ? 5 : 60)),
    warmup: Number(values.warmup ?? (quick ? 1 : 10)),
    quick,
    item: values.item,
    skipEmpty: values['skip-empty'],
    profile: values.profile,
    inProcess: values['in-process'],
    keep: values.keep,
    settle: !values['no-settle'],
    // generateCases passes a batch as one JSON parameter: no limit of 65,535 parameters applies.
    batch: Number(values.batch),
    pgUrl: values['pg-url'],
    scenarios: parseScenarios(values.scenarios),
    readClients: readConcurrencies(values['read-clients'], Number(values.clients), quick),
    readWarmup: Number(values['read-warmup'] ?? (quick ? 1 : 3)),
    readDuration: Number(values['read-duration'] ?? (quick ? 3 : 20)),
    limits: !values['no-limits'],
    limitDuration: Number(values['limit-duration'] ?? (quick ? 4 : 30)),
    ...(values.url ? { url: values.url } : {}),
    ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
  };
  const dir = resolve('bench/results');
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const facts = await machineFacts(engines.includes('postgres') || opts.url ? opts.pgUrl : undefined);
  const started = performance.now();
  const results: EngineResult[] = [];
  if (opts.url) results.push(await runExternal(opts, log));
  else for (const engine of engines) results.push(await runEngine(engine, opts, stamp, log));
  const limits = opts.limits ? await measureLimits(opts, results, log) : undefined;
  const lines = [...report(opts, facts, results, opts.inProcess, limits), ...(await profileLines(results))];
  lines.push('', `total run time ${Math.round((performance.now() - started) / 1000)} s`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
  const ts = targets(results, limits);
  const errors = results.reduce(
    (a, r) =>
      a + r.passes.reduce((b, p) => b + p.errors.total, 0) + r.reads.reduce((b, x) => b + x.errors.total, 0),
    0,
  );
  const pass = errors === 0 && (quick || ts.every((t) => t.met !== false));
  await writeFile(
    join(dir, `lifecycle-${stamp}.json`),
    JSON.stringify(
      {
        options: { ...opts, pgUrl: undefined, databaseUrl: undefined },
        machine: facts,
        results,
        limits,
        targets: ts,
        pass,
      },
      null,
      2,
    ),
  );
  await writeFile(join(dir, `lifecycle-${stamp}.md`), `${lines.join('\n')}\n`);
  process.stdout.write(`results: bench/results/lifecycle-${stamp}.{json,md}\n`);
  for (const r of results)
    for (const p of r.profiles)
      process.stdout.write(`CPU profile: ${p} (summary: npx tsx bench/lib/cpuprofile.ts ${p})\n`);
  return pass ? 0 : 1;
}
