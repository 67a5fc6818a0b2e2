import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { now } from '../clock.js';
import { AppError } from '../errors.js';
import { newId } from '../ids.js';
import type { Notifier } from '../notify/notifier.js';
import type { Tx } from '../tx.js';

/**
 * What background work exists, by name. Modules register their jobs at import, like their templates;
 * every job runner (one per server node) runs every registered job, and the tables they claim from make
 * sure one node runs each occurrence.
 *
 *   registerPeriodic('cases.deadline-warnings', 60, async (ctx) => { … return warned; });
 *   registerJob<{ caseId: string }>('cases.deemed-approval', async (ctx, { caseId }) => { … });
 *   await scheduleAt(trx, 'cases.deemed-approval', dueAt, { caseId }, caseId);
 *
 * Handlers run at least once: after a crash or a failed attempt they run again, so they check the state
 * they act on (a case already approved is left alone) and judge time by `ctx.now`, the platform clock.
 */

/** NOTIFY channel a commit uses to wake the runners; the payload says what is waiting ("outbox", "job"). */
export const WAKE_CHANNEL = 'tongban_jobs';

export type JobLogger = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>;

/** What a handler gets. Open transactions on `db` yourself; keep them short. */
export type JobContext = {
  db: Db;
  config: Config;
  log: JobLogger;
  /** The platform clock when the handler was called (platform/clock.ts; tests can move it). */
  now: Date;
  /** The runner (node) that claimed the work, for logs. */
  nodeId: string;
  notifier: Notifier;
};

export type JobHandler<P> = (ctx: JobContext, payload: P) => Promise<void>;
/** A periodic handler may resolve to how many items it handled (logged when more than zero). */
export type PeriodicHandler = (ctx: JobContext) => Promise<unknown>;

export type JobOptions = {
  /** Attempts before the job is marked failed (default 5). */
  maxAttempts?: number;
  /** First wait after a failure; doubles with each attempt (default 60 s). */
  retrySeconds?: number;
};

export type JobDefinition = {
  name: string;
  handler: JobHandler<unknown>;
  maxAttempts: number;
  retrySeconds: number;
};
export type PeriodicDefinition = { name: string; everySeconds: number; handler: PeriodicHandler };

const jobs = new Map<string, JobDefinition>();
const periodics = new Map<string, PeriodicDefinition>();
let version = 0;

const NAME = /^[a-z][a-z0-9_.-]{0,99}$/;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new TypeError(`job name "${name}" must match ${NAME}`);
}

/** A job that runs when scheduleAt() says. Registering a name again replaces its handler. */
export function registerJob<P>(name: string, handler: JobHandler<P>, opts: JobOptions = {}): void {
  checkName(name);
  jobs.set(name, {
    name,
    handler: handler as JobHandler<unknown>,
    maxAttempts: opts.maxAttempts ?? 5,
    retrySeconds: opts.retrySeconds ?? 60,
  });
  version += 1;
}

/**
 * A job that runs every `everySeconds` on one node (the first run comes at the first start). Use it for
 * sweeps over indexed timestamps (`warn_at <= now`), which also catch up after downtime.
 */
export function registerPeriodic(name: string, everySeconds: number, handler: PeriodicHandler): void {
  checkName(name);
  if (!Number.isInteger(everySeconds) || everySeconds < 1) {
    throw new TypeError(`periodic job "${name}": everySeconds must be a positive integer`);
  }
  periodics.set(name, { name, everySeconds, handler });
  version += 1;
}

export function jobDefinitions(): {
  jobs: JobDefinition[];
  periodics: PeriodicDefinition[];
  version: number;
} {
  return { jobs: [...jobs.values()], periodics: [...periodics.values()], version };
}

/**
 * Schedule a registered job at `runAt` (platform time), in the caller's transaction so it exists only if
 * the change that needs it commits. With a `singletonKey` there is at most one waiting job per
 * (name, key): scheduling again moves it and replaces its payload (a deadline that moved), while a run
 * already under way is left to finish. Returns the job id.
 */
export async function scheduleAt<P extends object>(
  trx: Tx,
  name: string,
  runAt: Date,
  payload: P,
  singletonKey?: string,
): Promise<string> {
  const def = jobs.get(name);
  if (!def) throw new AppError('INTERNAL', 'error.internal', {}, { reason: `unknown job ${name}` });
  const id = newId();
  const row = await sql<{ id: string }>`
    INSERT INTO jobs (id, name, singleton_key, payload, run_at, max_attempts, created_at, updated_at)
    VALUES (${id}, ${name}, ${singletonKey ?? null}, ${JSON.stringify(payload)}::jsonb, ${runAt},
      ${def.maxAttempts}, ${now()}, ${now()})
    ON CONFLICT (name, singleton_key) WHERE singleton_key IS NOT NULL AND status = 'scheduled'
    DO UPDATE SET run_at = EXCLUDED.run_at, payload = EXCLUDED.payload, updated_at = EXCLUDED.updated_at
    RETURNING id`.execute(trx);
  if (runAt.getTime() <= now().getTime()) await sql`SELECT pg_notify(${WAKE_CHANNEL}, 'job')`.execute(trx);
  return row.rows[0].id;
}

/** Cancel the waiting job of (name, key), if any; true when one was cancelled. */
export async function cancelScheduled(trx: Tx, name: string, singletonKey: string): Promise<boolean> {
  const res = await trx
    .updateTable('jobs')
    .set({ status: 'cancelled', updated_at: now(), finished_at: now() })
    .where('name', '=', name)
    .where('singleton_key', '=', singletonKey)
    .where('status', '=', 'scheduled')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
