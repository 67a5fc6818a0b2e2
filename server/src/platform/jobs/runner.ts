import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import pino from 'pino';
import type { Config } from '../../config.js';
import type { DbHandle } from '../../db/client.js';
import { chainAudit } from '../audit.js';
import { now } from '../clock.js';
import { deliverDue } from '../notify/deliver.js';
import { dispatchOutbox } from '../notify/dispatch.js';
import { createNotifier, type Notifier } from '../notify/notifier.js';
import { listenForWake, type Unlisten } from './listen.js';
import { type JobContext, type JobLogger, jobDefinitions, registerPeriodic } from './registry.js';

/**
 * One job runner per server node. Each tick it dispatches the outbox, delivers due notifications, runs
 * due scheduled jobs and due periodic jobs — each claimed from its table with `FOR UPDATE SKIP LOCKED`
 * or a conditional update, so several nodes share the work and none runs an item twice at once. A commit
 * that enqueues an event wakes every runner at once (NOTIFY); otherwise it polls every JOBS_POLL_SECONDS.
 * A claim that comes back short of its batch means nothing more was due, so a tick ends there: no empty claim
 * or empty round to confirm it (work committed meanwhile NOTIFYs again).
 */
export type JobRunner = {
  /** Names this runner in claims (`locked_by`) and logs. */
  readonly nodeId: string;
  readonly notifier: Notifier;
  /** Start polling and listening. Without it nothing runs by itself (tests call drain()). */
  start(): Promise<void>;
  /** Run a tick soon (coalesced). */
  wake(): void;
  /**
   * Run everything due now, round after round, until a round finds nothing; returns how much was done.
   * Waits for a tick in progress first. Errors that are not a job's own failure are thrown.
   */
  drain(opts?: { maxRounds?: number }): Promise<number>;
  /** Stop taking work, wait for what is in flight (up to `timeoutMs`), release the channels. */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
  /** The context handlers get; tests use it to call dispatchOutbox/deliverDue directly. */
  context(): JobContext;
};

export type JobRunnerOptions = {
  handle: Pick<DbHandle, 'db' | 'url' | 'pglite'>;
  config: Config;
  log?: JobLogger;
  /** Default: the channels the configuration names. */
  notifier?: Notifier;
  nodeId?: string;
};

/** How long a claimed job or periodic run holds before another node may take it over. */
const JOB_LEASE_MS = 5 * 60_000;
/** A tick stops after this many rounds so a flood cannot starve the poll timer; the next tick goes on. */
const ROUNDS_PER_TICK = 20;
/** Work a round takes of each kind at most; a round that reaches a limit is followed by another. */
const OUTBOX_PER_ROUND = 500;
const DELIVERIES_PER_ROUND = 500;
const JOBS_PER_ROUND = 200;
/** Periodic schedules are looked at (one query) at most this often per node; a tick in between skips them. */
const PERIODIC_CHECK_MS = 1000;

export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const { config } = opts;
  const db = opts.handle.db;
  const log = opts.log ?? pino({ level: config.LOG_LEVEL, name: 'jobs' });
  const notifier = opts.notifier ?? createNotifier(config);
  const nodeId = opts.nodeId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const pollMs = config.JOBS_POLL_SECONDS * 1000;

  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeQueued = false;
  let unlisten: Unlisten | null = null;
  let schedulesVersion = -1;
  let periodicsCheckedAt = Number.NEGATIVE_INFINITY;
  // Ticks and drains of this runner take turns; other runners (nodes) run alongside.
  let chain: Promise<unknown> = Promise.resolve();

  const context = (): JobContext => ({ db, config, log, now: now(), nodeId, notifier });

  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn, fn);
    chain = run.catch(() => {});
    return run;
  }

  /** Make sure every registered periodic job has its row (added at the first start, then kept). */
  async function ensureSchedules(): Promise<void> {
    const defs = jobDefinitions();
    if (defs.version === schedulesVersion) return;
    if (defs.periodics.length > 0) {
      const at = now();
      await db
        .insertInto('job_schedules')
        .values(defs.periodics.map((p) => ({ name: p.name, every_seconds: p.everySeconds, next_run_at: at })))
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({ every_seconds: eb.ref('excluded.every_seconds') })),
        )
        .execute();
    }
    schedulesVersion = defs.version;
  }

  async function runDueJobs(): Promise<number> {
    const defs = new Map(jobDefinitions().jobs.map((d) => [d.name, d]));
    if (defs.size === 0) return 0;
    let ran = 0;
    while (ran < JOBS_PER_ROUND && !stopping) {
      const at = now();
      const job = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          attempts: eb('attempts', '+', 1),
          locked_by: nodeId,
          locked_until: new Date(at.getTime() + JOB_LEASE_MS),
          updated_at: at,
        }))
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('jobs')
            .select('id')
            .where('name', 'in', [...defs.keys()])
            .where((w) =>
              w.or([
                w.and([w('status', '=', 'scheduled'), w('run_at', '<=', at)]),
                w.and([w('status', '=', 'running'), w('locked_until', '<', at)]),
              ]),
            )
            .orderBy('run_at')
            .limit(1)
            .forUpdate()
            .skipLocked(),
        )
        .returningAll()
        .executeTakeFirst();
      if (!job) break;
      ran += 1;
      const def = defs.get(job.name);
      if (!def) continue;
      const finish = (set: {
        status: 'done' | 'failed' | 'scheduled' | 'cancelled';
        last_error?: string | null;
        run_at?: Date;
      }) =>
        db
          .updateTable('jobs')
          .set({
            ...set,
            locked_by: null,
            locked_until: null,
            updated_at: now(),
            ...(set.status === 'scheduled' ? {} : { finished_at: now() }),
          })
          .where('id', '=', job.id)
          .where('locked_by', '=', nodeId)
          .execute();
      if (job.attempts > job.max_attempts) {
        await finish({ status: 'failed', last_error: 'claimed too often without finishing' });
        continue;
      }
      try {
        await def.handler(context(), job.payload);
        await finish({ status: 'done', last_error: null });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (job.attempts >= job.max_attempts) {
          await finish({ status: 'failed', last_error: message });
          log.error({ job: job.id, name: job.name, attempts: job.attempts, err }, 'job failed');
        } else {
          const runAt = new Date(now().getTime() + def.retrySeconds * 1000 * 2 ** (job.attempts - 1));
          try {
            await finish({ status: 'scheduled', last_error: message, run_at: runAt });
          } catch (e) {
            // A newer schedule of the same (name, key) took the waiting slot meanwhile: it replaces this one.
            if ((e as { code?: string }).code !== '23505') throw e;
            await finish({ status: 'cancelled', last_error: `${message} (superseded by a newer schedule)` });
          }
          log.warn({ job: job.id, name: job.name, attempts: job.attempts, err }, 'job will be retried');
        }
      }
    }
    return ran;
  }

  async function runDuePeriodics(): Promise<number> {
    const checkAt = now();
    const sinceCheck = checkAt.getTime() - periodicsCheckedAt;
    // Busy nodes tick many times a second; schedules are due at most every few seconds. (A clock moved
    // back, as tests do, counts as time to look again.)
    if (sinceCheck >= 0 && sinceCheck < PERIODIC_CHECK_MS) return 0;
    periodicsCheckedAt = checkAt.getTime();
    const due = new Set(
      (
        await db
          .selectFrom('job_schedules')
          .select('name')
          .where((w) =>
            w.or([
              w('next_run_at', '<=', checkAt),
              w('next_run_at', '>', sql<Date>`${checkAt}::timestamptz + every_seconds * interval '1 second'`),
            ]),
          )
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', checkAt)]))
          .execute()
      ).map((r) => r.name),
    );
    let ran = 0;
    for (const def of jobDefinitions().periodics) {
      if (stopping) break;
      if (!due.has(def.name)) continue;
      const at = now();
      // Two nodes updating one row: the second waits for the first's commit, then no longer matches.
      const claimed = await db
        .updateTable('job_schedules')
        .set({ locked_by: nodeId, locked_until: new Date(at.getTime() + JOB_LEASE_MS), last_started_at: at })
        .where('name', '=', def.name)
        // More than a period ahead can only mean the platform clock was moved back: run now.
        .where((w) =>
          w.or([
            w('next_run_at', '<=', at),
            w('next_run_at', '>', new Date(at.getTime() + def.everySeconds * 1000)),
          ]),
        )
        .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<', at)]))
        .returning('name')
        .executeTakeFirst();
      if (!claimed) continue;
      ran += 1;
      let error: string | null = null;
      try {
        const did = await def.handler(context());
        if (typeof did === 'number' && did > 0) log.info({ job: def.name, did }, 'periodic job ran');
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        log.error({ job: def.name, err }, 'periodic job failed');
      }
      await db
        .updateTable('job_schedules')
        .set((eb) => ({
          next_run_at: new Date(at.getTime() + def.everySeconds * 1000),
          locked_by: null,
          locked_until: null,
          runs: eb('runs', '+', 1),
          last_finished_at: now(),
          last_error: error,
        }))
        .where('name', '=', def.name)
        .where('locked_by', '=', nodeId)
        .execute();
    }
    return ran;
  }

  /** One pass over every kind of work: how much it did, and whether some may be left (a limit was reached). */
  async function round(): Promise<{ done: number; more: boolean }> {
    await ensureSchedules();
    const ctx = context();
    const dispatched = await dispatchOutbox(ctx, OUTBOX_PER_ROUND);
    const delivered = await deliverDue(ctx, { limit: DELIVERIES_PER_ROUND });
    const jobs = await runDueJobs();
    const periodics = await runDuePeriodics();
    return {
      done: dispatched + delivered + jobs + periodics,
      more: dispatched >= OUTBOX_PER_ROUND || delivered >= DELIVERIES_PER_ROUND || jobs >= JOBS_PER_ROUND,
    };
  }

  function arm(ms: number): void {
    if (!started || stopping) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void tick();
    }, ms);
    timer.unref();
  }

  async function tick(): Promise<void> {
    wakeQueued = false;
    try {
      await exclusive(async () => {
        for (let i = 0; i < ROUNDS_PER_TICK && !stopping; i++) {
          if (!(await round()).more) return;
        }
      });
    } catch (err) {
      log.error({ err }, 'job tick failed');
    }
    if (!wakeQueued) arm(pollMs);
  }

  function wake(): void {
    if (!started || stopping || wakeQueued) return;
    wakeQueued = true;
    // A short delay gathers a burst of commits into one tick.
    arm(20);
  }

  return {
    nodeId,
    notifier,
    context,
    async start() {
      if (started) return;
      started = true;
      unlisten = await listenForWake(opts.handle, wake, log);
      log.info({ nodeId, pollSeconds: config.JOBS_POLL_SECONDS }, 'job runner started');
      arm(0);
    },
    wake,
    drain({ maxRounds = 100 } = {}) {
      return exclusive(async () => {
        let total = 0;
        for (let i = 0; i < maxRounds; i++) {
          const { done } = await round();
          if (done === 0) return total;
          total += done;
        }
        throw new Error(`background work did not settle after ${maxRounds} rounds`);
      });
    },
    async stop({ timeoutMs = 15_000 } = {}) {
      if (stopping) return;
      stopping = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await unlisten?.();
      let timeout: NodeJS.Timeout | undefined;
      const inFlight = await Promise.race([
        chain.then(() => false),
        new Promise<boolean>((resolve) => {
          timeout = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timeout);
      if (inFlight) log.warn({ nodeId }, 'job runner stopped with work in flight; its leases will expire');
      notifier.close();
      if (started) log.info({ nodeId }, 'job runner stopped');
    },
  };
}

/** Finished and cancelled jobs are kept a month for the record, then removed. */
registerPeriodic('platform.jobs-cleanup', 24 * 3600, async (ctx) => {
  const res = await ctx.db
    .deleteFrom('jobs')
    .where('status', 'in', ['done', 'cancelled'])
    .where('finished_at', '<', new Date(ctx.now.getTime() - 30 * 24 * 3600_000))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
});

/** Audit rows are written unlinked in their own transactions; this links them into the hash chain. */
registerPeriodic('platform.audit-chain', 5, (ctx) => chainAudit(ctx.db));
