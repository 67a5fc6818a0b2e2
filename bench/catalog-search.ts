import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type Db, openDatabase } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { seedDemoCatalog } from '../server/src/db/seed/demo-catalog.js';
import { demoItems } from '../server/src/db/seed/demo-catalog-data.js';
import { generatePowers } from '../server/src/db/seed/demo-catalog-powers.js';
import { demoDepartments, seedDemoOrganisation } from '../server/src/db/seed/demo-org.js';
import { startPlatform } from '../server/src/main.js';
import { type BulkEntry, bulkCreate } from '../server/src/modules/catalog/bulk.js';
import { allCurrent } from '../server/src/modules/catalog/current.js';
import { project } from '../server/src/modules/catalog/lists.js';
import * as q from '../server/src/modules/catalog/queries.js';
import type { ItemData } from '../server/src/modules/catalog/schema.js';
import { readData } from '../server/src/modules/catalog/versions.js';
import { systemActor } from '../server/src/platform/actor.js';
import { send } from './lib/http.js';
import { defaultPgUrl } from './lib/pg-url.js';

/**
 * Catalog search benchmark (issue 3): 5,000 service items and 10,000 power-list entries, loaded into PGlite
 * and into a fresh PostgreSQL database, searched over HTTP by a few concurrent clients against a started
 * server. Target: p95 < 20 ms on both engines. Results go to bench/results/ (git-ignored).
 *
 *   npm run bench -- catalog-search [--engines pglite,postgres] [--items 5000] [--powers 10000]
 *                                   [--clients 4] [--requests 4000] [--warmup 400] [--pg-url postgres://…]
 */

type Options = {
  engines: string[];
  items: number;
  powers: number;
  clients: number;
  requests: number;
  warmup: number;
  pgUrl: string;
};

export type Kind = 'search' | 'search+filter' | 'browse' | 'powers';
type Sample = { kind: Kind; ms: number };

const themes = [
  '生育收养',
  '社会保障',
  '准营准办',
  '投资建设',
  '残疾人服务',
  '住房保障',
  '设立变更',
  '医疗卫生',
];
const variants = [
  '(变更)',
  '(延续)',
  '(注销)',
  '(补证)',
  '(换证)',
  '(迁移)',
  '(备案)',
  '(撤回)',
  '(增项)',
  '(信息修改)',
  '(分支机构)',
  '(首次申请)',
  '(重新申请)',
  '(跨区通办)',
  '(乡镇实施)',
  '(村级代办)',
  '(告知承诺)',
  '(容缺受理)',
  '(网上办理)',
  '(邮寄办理)',
];
/** Characters people type by mistake for others (同音/形近), to make typo'd queries. */
const typoChars = '科证记征登灯营赢照罩许评保报办半业页执直';

/** A small deterministic generator, so both engines run the same requests. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The demo catalog plus generated items up to `items`, and a power list of `powers` entries. */
export async function load(
  db: Db,
  opts: Pick<Options, 'items' | 'powers'>,
): Promise<{ items: number; powers: number; ms: number }> {
  const t0 = performance.now();
  await migrate(db);
  await seedDemoOrganisation(db);
  await seedDemoCatalog(db, { powers: opts.powers, forms: false });
  const templates = await allCurrent(db, 'item');
  const depts = await q.allDepartments(db);
  const lookup = (id: string | null) => (id ? depts.find((d) => d.id === id) : undefined);
  const extra: BulkEntry[] = [];
  for (let i = 0; extra.length < opts.items - templates.length; i += 1) {
    const t = templates[i % templates.length];
    const round = Math.floor(i / templates.length);
    const base = readData('item', t.data) as ItemData;
    const data: ItemData = {
      ...base,
      name: `${base.name}${variants[round % variants.length]}${round >= variants.length ? round : ''}`,
    };
    extra.push({
      kind: 'item',
      code: `BENCH-${String(i).padStart(5, '0')}`,
      regionCode: t.region_code,
      data,
      projection: project('item', data, lookup),
      reason: 'benchmark data',
      effectiveFrom: '2026-01-01',
      published: true,
    });
  }
  await db.transaction().execute((trx) => bulkCreate(trx, extra, systemActor));
  await q.settleIndexes(db);
  const count = async (kind: 'item' | 'power') =>
    Number(
      (
        await db
          .selectFrom('catalog_entries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('kind', '=', kind)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { items: await count('item'), powers: await count('power'), ms: Math.round(performance.now() - t0) };
}

/**
 * What people type: pieces of item names and keywords (2–5 characters, as in 低保, 营业执, 食品经营), one
 * in five 4-character pieces with a typo, whole names, and pieces of power names for the power list —
 * drawn with a Zipf distribution (a few queries are very popular, most are rare), as search logs are.
 */
function queryPools(): { items: string[]; powers: string[] } {
  const r = rng(7);
  const items = new Set<string>();
  for (const it of demoItems) {
    const texts = [it.n, ...(it.k ?? [])];
    items.add(it.n);
    for (const t of texts) {
      const chars = [...t.replace(/[()()、]/g, '')];
      for (let len = 2; len <= 5; len += 1) {
        for (let i = 0; i + len <= chars.length; i += 2) {
          const piece = chars.slice(i, i + len).join('');
          items.add(piece);
          if (len === 4 && r() < 0.2)
            items.add(piece.slice(0, 3) + typoChars[Math.floor(r() * typoChars.length)]);
        }
      }
    }
  }
  const powers = new Set<string>();
  for (const p of generatePowers(
    demoDepartments.map((d) => d[0]),
    3000,
    new Map(),
  )) {
    const chars = [...p.name];
    const start = 1 + Math.floor(r() * Math.max(1, chars.length - 6));
    powers.add(chars.slice(start, start + 3 + Math.floor(r() * 3)).join(''));
  }
  const shuffle = (xs: string[]) => {
    for (let i = xs.length - 1; i > 0; i -= 1) {
      const j = Math.floor(r() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  return { items: shuffle([...items]), powers: shuffle([...powers]) };
}

function zipf(n: number, s = 1.05): (x: number) => number {
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 1; k <= n; k += 1) {
    sum += 1 / k ** s;
    cumulative.push(sum);
  }
  return (x) => {
    const target = x * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** `n` public catalog requests as the public sends them (Zipf over item and power-list words; also used by lifecycle's read scenarios). */
export function requestPlan(n: number, deptIds: string[], seed: number): { kind: Kind; path: string }[] {
  const r = rng(seed);
  const pools = queryPools();
  const itemRank = zipf(pools.items.length);
  const powerRank = zipf(pools.powers.length);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const plan: { kind: Kind; path: string }[] = [];
  for (let i = 0; i < n; i += 1) {
    const x = r();
    const word = encodeURIComponent(pools.items[itemRank(r())]);
    if (x < 0.6) plan.push({ kind: 'search', path: `/api/v1/catalog/search?q=${word}` });
    else if (x < 0.75) {
      const filter = pick([
        'immediate=true',
        'level=township',
        `theme=${encodeURIComponent(pick(themes))}`,
        `departmentId=${pick(deptIds)}`,
        'serviceObject=person',
        'onlineDepth=4',
      ]);
      plan.push({ kind: 'search+filter', path: `/api/v1/catalog/search?q=${word}&${filter}` });
    } else if (x < 0.85) {
      const browse = pick([
        `theme=${encodeURIComponent(pick(themes))}`,
        `departmentId=${pick(deptIds)}&page=${1 + Math.floor(r() * 3)}`,
        `onlineDepth=4&page=${1 + Math.floor(r() * 5)}`,
        'immediate=true',
      ]);
      plan.push({ kind: 'browse', path: `/api/v1/catalog/search?${browse}` });
    } else {
      const pw = encodeURIComponent(pools.powers[powerRank(r())]);
      const power = pick([
        `q=${pw}`,
        `type=CF&departmentId=${pick(deptIds)}`,
        `type=CF&q=${pw}`,
        `departmentId=${pick(deptIds)}&page=${1 + Math.floor(r() * 10)}`,
      ]);
      plan.push({ kind: 'powers', path: `/api/v1/catalog/powers?${power}` });
    }
  }
  return plan;
}

async function drive(
  base: string,
  plan: { kind: Kind; path: string }[],
  clients: number,
): Promise<{ samples: Sample[]; ms: number }> {
  const samples: Sample[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= plan.length) return;
        const { kind, path } = plan[i];
        const start = performance.now();
        const res = await send(base + path);
        const ms = performance.now() - start;
        if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
        samples.push({ kind, ms });
      }
    }),
  );
  return { samples, ms: performance.now() - t0 };
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const round = (x: number) => Math.round(x * 100) / 100;

function summarise(samples: Sample[]) {
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      n: s.length,
      p50: round(pct(s, 50)),
      p95: round(pct(s, 95)),
      p99: round(pct(s, 99)),
      max: round(s.at(-1) ?? 0),
    };
  };
  const byKind = Object.fromEntries(
    (['search', 'search+filter', 'browse', 'powers'] as Kind[]).map((k) => [
      k,
      stats(samples.filter((x) => x.kind === k).map((x) => x.ms)),
    ]),
  );
  return { all: stats(samples.map((x) => x.ms)), byKind };
}

async function runEngine(engine: string, opts: Options) {
  let dataDir: string | undefined;
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (engine === 'pglite') {
    dataDir = await mkdtemp(join(tmpdir(), 'tongban-bench-'));
  } else {
    const admin = new pg.Client({ connectionString: opts.pgUrl });
    await admin.connect();
    const name = `tongban_bench_${Date.now().toString(36)}`;
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
  try {
    process.stdout.write(`\n[${engine}] loading ${opts.items} items and ${opts.powers} powers …\n`);
    const handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
    const loaded = await load(handle.db, opts);
    await handle.close();
    process.stdout.write(
      `[${engine}] loaded ${loaded.items} items, ${loaded.powers} powers in ${(loaded.ms / 1000).toFixed(1)} s\n`,
    );

    const platform = await startPlatform({
      port: 0,
      host: '127.0.0.1',
      seedDemo: false,
      ...(databaseUrl ? { databaseUrl } : { dataDir }),
      env: { ...process.env, LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', SEED_DEMO: 'false' },
    });
    try {
      const deptIds = (await q.allDepartments(platform.handle.db)).map((d) => d.id);
      const base = platform.url.replace('localhost', '127.0.0.1');
      // Cold: every URL made unique, so the answer cache never hits and every request reaches the database.
      const coldPlan = requestPlan(opts.requests, deptIds, 2).map((x, i) => ({
        ...x,
        path: `${x.path}&_nocache=${i}`,
      }));
      await drive(
        base,
        requestPlan(opts.warmup, deptIds, 1).map((x, i) => ({ ...x, path: `${x.path}&_w=${i}` })),
        opts.clients,
      );
      const cold = await drive(base, coldPlan, opts.clients);
      // Warm: the same kind of traffic as it comes, popular searches answered from the cache.
      const warmup = requestPlan(opts.warmup, deptIds, 3);
      const warmPlan = requestPlan(opts.requests, deptIds, 4);
      await drive(base, warmup, opts.clients);
      const warm = await drive(base, warmPlan, opts.clients);
      const seen = new Set(warmup.map((x) => x.path));
      let repeats = 0;
      for (const x of warmPlan) {
        if (seen.has(x.path)) repeats += 1;
        seen.add(x.path);
      }
      return {
        engine,
        loaded,
        cold: { rps: Math.round((cold.samples.length / cold.ms) * 1000), ...summarise(cold.samples) },
        warm: {
          rps: Math.round((warm.samples.length / warm.ms) * 1000),
          hitRate: Math.round((repeats / warmPlan.length) * 100),
          ...summarise(warm.samples),
        },
      };
    } finally {
      await platform.close();
    }
  } finally {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (dropDb) await dropDb();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      engines: { type: 'string', default: 'pglite,postgres' },
      items: { type: 'string', default: '5000' },
      powers: { type: 'string', default: '10000' },
      clients: { type: 'string', default: '4' },
      requests: { type: 'string', default: '4000' },
      warmup: { type: 'string', default: '400' },
      'pg-url': {
        type: 'string',
        default: defaultPgUrl(),
      },
    },
  });
  const opts: Options = {
    engines: values.engines.split(',').map((e) => e.trim()),
    items: Number(values.items),
    powers: Number(values.powers),
    clients: Number(values.clients),
    requests: Number(values.requests),
    warmup: Number(values.warmup),
    pgUrl: values['pg-url'],
  };
  const results = [];
  for (const engine of opts.engines) {
    if (engine !== 'pglite' && engine !== 'postgres') throw new Error(`unknown engine ${engine}`);
    results.push(await runEngine(engine, opts));
  }
  const lines = [
    `catalog search — ${opts.items} items, ${opts.powers} powers, ${opts.clients} clients, ${opts.requests} requests (Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'})`,
    '',
    '| engine | pass | kind | n | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    for (const [pass, x] of [
      ['cold (no cache)', r.cold],
      [`warm (cache, ~${r.warm.hitRate}% repeats)`, r.warm],
    ] as const) {
      lines.push(
        `| ${r.engine} | ${pass} | **all** (${x.rps} req/s) | ${x.all.n} | ${x.all.p50} | **${x.all.p95}** | ${x.all.p99} | ${x.all.max} |`,
      );
      for (const [kind, st] of Object.entries(x.byKind)) {
        lines.push(
          `| ${r.engine} | ${pass} | ${kind} | ${st.n} | ${st.p50} | ${st.p95} | ${st.p99} | ${st.max} |`,
        );
      }
    }
  }
  const pass = results.every((r) => r.warm.all.p95 < 20);
  const coldPass = results.every((r) => r.cold.all.p95 < 20);
  lines.push(
    '',
    `target p95 < 20 ms: ${pass ? 'met' : 'NOT met'} as served (warm); ${coldPass ? 'met' : 'not met'} with every answer from the database (cold)`,
  );
  process.stdout.write(`\n${lines.join('\n')}\n`);
  const dir = resolve('bench/results');
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await writeFile(
    join(dir, `catalog-search-${stamp}.json`),
    JSON.stringify({ options: { ...opts, pgUrl: undefined }, results, pass }, null, 2),
  );
  await writeFile(join(dir, `catalog-search-${stamp}.md`), `${lines.join('\n')}\n`);
  process.stdout.write(`results: bench/results/catalog-search-${stamp}.{json,md}\n`);
  return pass ? 0 : 1;
}
