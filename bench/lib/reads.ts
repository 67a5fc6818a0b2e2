import { sql } from 'kysely';
import type { Db } from '../../server/src/db/client.js';
import { requestPlan } from '../catalog-search.js';
import { type DriveResult, drive, login, type Session, type Stats, timed } from './http.js';
import { rssMB } from './machine.js';

/**
 * The read scenarios beside the lifecycle, each run alone against the same started server (and the same
 * loaded database) with its own concurrency:
 *
 *   inbox      a window clerk's inbox (`GET /api/v1/cases?scope=inbox`, some with a status or warning filter)
 *   progress   the public progress query with a case number and the last six characters of the ID/USCC,
 *              for cases sampled from the whole database (most are not in any cache)
 *   catalog    public catalog search and power-list search, traffic as it comes (bench/catalog-search.ts's plan)
 *   board      a supervisor's dashboard (电子监察): the calls its page makes when it opens — the board by
 *              department, the red and yellow cases, the month's figures overall, by department and by region,
 *              and the month's trend by day — each client going through them in turn
 */
export const readScenarios = ['inbox', 'progress', 'catalog', 'board'] as const;
export type ReadScenario = (typeof readScenarios)[number];

export type ReadResult = DriveResult & {
  scenario: ReadScenario;
  clients: number;
  rssMaxMB: number;
  /** Issue 7's target for the scenario and whether it was met. */
  target: { what: string; limit: number; value: number; met: boolean };
};

const TARGETS: Record<ReadScenario, { stat: keyof Stats; limit: number }> = {
  inbox: { stat: 'p99', limit: 20 },
  progress: { stat: 'p99', limit: 20 },
  catalog: { stat: 'p95', limit: 20 },
  board: { stat: 'p95', limit: 100 },
};

/** The supervision dashboard's calls as web/src/supervision/dashboard-page.tsx makes them (period: month). */
const BOARD_VIEWS: { call: string; path: string }[] = [
  { call: 'board', path: '/api/v1/supervision/board?groupBy=department' },
  { call: 'board cases', path: '/api/v1/supervision/board/cases?level=red&pageSize=10' },
  { call: 'board cases', path: '/api/v1/supervision/board/cases?level=yellow&pageSize=10' },
  { call: 'figures', path: '/api/v1/supervision/figures?period=month' },
  { call: 'figures', path: '/api/v1/supervision/figures?period=month&groupBy=department' },
  { call: 'figures', path: '/api/v1/supervision/figures?period=month&groupBy=region' },
  { call: 'trend', path: '/api/v1/supervision/figures/trend?period=month&granularity=day' },
];

/** What the scenarios ask for, read from the database before the server starts (PGlite has one owner). */
export type ReadData = { progress: { number: string; code: string }[]; departmentIds: string[] };

export async function sampleReadData(db: Db): Promise<ReadData> {
  const sample = (pct: number) =>
    sql<{ number: string; code: string }>`
    SELECT number, right(coalesce(applicant_id_number, applicant_uscc), 6) AS code
    FROM cases TABLESAMPLE SYSTEM (${sql.lit(pct)}) WHERE status <> 'draft' LIMIT 5000`.execute(db);
  let rows = (await sample(5)).rows;
  if (rows.length < 1000) rows = (await sample(100)).rows;
  const depts = await db.selectFrom('departments').select('id').execute();
  return { progress: rows, departmentIds: depts.map((d) => d.id) };
}

/**
 * Each scenario at each concurrency in `clients`, in the order given (`readConcurrencies` sorts them). A closed loop of C clients keeps C requests in
 * flight, so once the server is saturated its latency is C ÷ throughput, queueing more than serving: one
 * client shows what a request costs alone, the largest count what the machine does flat out.
 */
export async function runReads(opts: {
  base: string;
  data: ReadData;
  scenarios: readonly ReadScenario[];
  clients: readonly number[];
  warmup: number;
  duration: number;
  serverPid: number;
  log: (line: string) => void;
}): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for (const scenario of opts.scenarios)
    for (const clients of opts.clients) {
      const call = await prepare(scenario, { ...opts, clients });
      const rss: number[] = [];
      opts.log(`  read scenario ${scenario}: ${clients} clients, ${opts.warmup} s + ${opts.duration} s`);
      const r = await drive({
        clients,
        warmup: opts.warmup,
        duration: opts.duration,
        call,
        onTick: () => {
          const m = rssMB(opts.serverPid);
          if (m) rss.push(m.rss);
        },
      });
      const t = TARGETS[scenario];
      const value = r.all[t.stat] as number;
      out.push({
        ...r,
        scenario,
        clients,
        rssMaxMB: rss.length ? Math.max(...rss) : 0,
        target: { what: `${scenario} ${t.stat}`, limit: t.limit, value, met: value <= t.limit },
      });
      opts.log(
        `  ${scenario} (${clients} clients): ${r.requestsPerSec} req/s, p50 ${r.all.p50} ms, p95 ${r.all.p95} ms, p99 ${r.all.p99} ms, ${r.errors.total} errors`,
      );
    }
  return out;
}

type Call = Parameters<typeof drive>[0]['call'];

async function prepare(
  scenario: ReadScenario,
  opts: { base: string; data: ReadData; clients: number },
): Promise<Call> {
  const { base } = opts;
  if (scenario === 'inbox') {
    const sessions: Session[] = [];
    for (let i = 0; i < opts.clients; i += 1) sessions.push(await login(base, 'clerk'));
    const views = [
      'scope=inbox',
      'scope=inbox',
      'scope=inbox',
      'scope=department&status=accepted',
      'scope=department&warning=red',
      'scope=inbox&page=2',
    ];
    return async (samples, client, seq) => {
      await timed(
        samples,
        'inbox',
        `${base}/api/v1/cases?${views[seq % views.length]}`,
        { headers: { cookie: sessions[client].cookie } },
        200,
      );
    };
  }
  if (scenario === 'progress') {
    const picks = opts.data.progress;
    if (picks.length === 0) throw new Error('progress scenario: no cases in the database');
    return async (samples, _client, seq) => {
      const p = picks[(seq * 7919) % picks.length];
      await timed(
        samples,
        'progress',
        `${base}/api/v1/public/progress?number=${encodeURIComponent(p.number)}&code=${p.code}`,
        // Each query from an address of its own (30 a minute per address; the app trusts the proxy header).
        { headers: { 'x-forwarded-for': `10.${(seq >> 16) & 255}.${(seq >> 8) & 255}.${seq & 255}` } },
        200,
      );
    };
  }
  if (scenario === 'board') {
    const sessions: Session[] = [];
    for (let i = 0; i < opts.clients; i += 1) sessions.push(await login(base, 'supervisor'));
    return async (samples, client, seq) => {
      const view = BOARD_VIEWS[seq % BOARD_VIEWS.length];
      await timed(
        samples,
        view.call,
        `${base}${view.path}`,
        { headers: { cookie: sessions[client].cookie } },
        200,
      );
    };
  }
  const plan = requestPlan(20_000, opts.data.departmentIds, 11);
  return async (samples, _client, seq) => {
    const step = plan[seq % plan.length];
    await timed(samples, step.kind === 'powers' ? 'powers' : 'search', `${base}${step.path}`, {}, 200);
  };
}
