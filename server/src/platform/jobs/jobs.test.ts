import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { type DbHandle, openDatabase } from '../../db/client.js';
import { createTestDb, type TestDb } from '../../test/db.js';
import { now, setClockOffset } from '../clock.js';
import { enqueueEvent } from '../outbox.js';
import { inTransaction } from '../tx.js';
import {
  cancelScheduled,
  createJobRunner,
  type JobRunner,
  registerJob,
  registerPeriodic,
  scheduleAt,
} from './index.js';

type Deemed = { caseId: string };

const calls: { name: string; payload: unknown; at: Date; node: string }[] = [];
let flakyFailures = 0;
let slowStarted: (() => void) | null = null;

registerJob<Deemed>('test.deemed-approval', async (ctx, payload) => {
  calls.push({ name: 'deemed', payload, at: ctx.now, node: ctx.nodeId });
});
registerJob<Deemed>(
  'test.flaky',
  async (_ctx, payload) => {
    if (flakyFailures > 0) {
      flakyFailures -= 1;
      throw new Error('department system unavailable');
    }
    calls.push({ name: 'flaky', payload, at: now(), node: '' });
  },
  { maxAttempts: 3, retrySeconds: 10 },
);
registerJob<Deemed>('test.slow', async (_ctx, payload) => {
  slowStarted?.();
  await new Promise((r) => setTimeout(r, 300));
  calls.push({ name: 'slow', payload, at: now(), node: '' });
});
let ticks = 0;
registerPeriodic('test.deadline-sweep', 60, async () => {
  ticks += 1;
  return 0;
});

const config = loadConfig({ LOG_LEVEL: 'silent' });
let handle: TestDb;
let second: DbHandle;
let runners: JobRunner[] = [];

function runner(h: Pick<DbHandle, 'db' | 'url' | 'pglite'>, env: Record<string, string> = {}): JobRunner {
  const r = createJobRunner({ handle: h, config: loadConfig({ LOG_LEVEL: 'silent', ...env }) });
  runners.push(r);
  return r;
}

beforeAll(async () => {
  handle = await createTestDb();
  second = handle.url ? await openDatabase({ databaseUrl: handle.url, poolSize: 3 }) : handle;
});
afterAll(async () => {
  if (second !== handle) await second.close();
  await handle.close();
});
afterEach(async () => {
  await Promise.all(runners.map((r) => r.stop()));
  runners = [];
  calls.length = 0;
  setClockOffset(0);
});

const inOneHour = () => new Date(now().getTime() + 3_600_000);

function jobRow(name: string, key: string) {
  return handle.db
    .selectFrom('jobs')
    .selectAll()
    .where('name', '=', name)
    .where('singleton_key', '=', key)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}

describe('scheduled jobs', () => {
  it('run once when their time comes on the platform clock, not before', async () => {
    const jobs = runner(handle);
    await inTransaction(handle.db, (trx) =>
      scheduleAt<Deemed>(trx, 'test.deemed-approval', inOneHour(), { caseId: 'c-1' }, 'c-1'),
    );
    await jobs.drain();
    expect(calls).toHaveLength(0);

    setClockOffset(3_600_000 + 1000);
    await Promise.all([jobs.drain(), runner(second).drain()]);
    await jobs.drain();
    expect(calls.map((c) => c.payload)).toEqual([{ caseId: 'c-1' }]);
    // The handler judges time by the platform clock it was given.
    expect(calls[0].at.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    expect(await jobRow('test.deemed-approval', 'c-1')).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('scheduled in a transaction that rolls back, never run', async () => {
    const jobs = runner(handle);
    await inTransaction(handle.db, async (trx) => {
      await scheduleAt<Deemed>(trx, 'test.deemed-approval', now(), { caseId: 'c-rb' }, 'c-rb');
      throw new Error('rolled back');
    }).catch(() => undefined);
    await jobs.drain();
    expect(calls).toHaveLength(0);
  });

  it('scheduling the same key again moves the one waiting job; cancelling removes it', async () => {
    const jobs = runner(handle);
    await inTransaction(handle.db, (trx) =>
      scheduleAt<Deemed>(trx, 'test.deemed-approval', inOneHour(), { caseId: 'old' }, 'c-2'),
    );
    await inTransaction(handle.db, (trx) =>
      scheduleAt<Deemed>(
        trx,
        'test.deemed-approval',
        new Date(now().getTime() + 2 * 3_600_000),
        { caseId: 'new' },
        'c-2',
      ),
    );
    const waiting = await handle.db
      .selectFrom('jobs')
      .select('id')
      .where('singleton_key', '=', 'c-2')
      .where('status', '=', 'scheduled')
      .execute();
    expect(waiting).toHaveLength(1);
    setClockOffset(3_600_000 + 1000);
    await jobs.drain();
    expect(calls).toHaveLength(0);
    setClockOffset(2 * 3_600_000 + 1000);
    await jobs.drain();
    expect(calls.map((c) => c.payload)).toEqual([{ caseId: 'new' }]);

    await inTransaction(handle.db, (trx) =>
      scheduleAt<Deemed>(trx, 'test.deemed-approval', inOneHour(), { caseId: 'x' }, 'c-3'),
    );
    expect(await inTransaction(handle.db, (trx) => cancelScheduled(trx, 'test.deemed-approval', 'c-3'))).toBe(
      true,
    );
    setClockOffset(5 * 3_600_000);
    await jobs.drain();
    expect(calls).toHaveLength(1);
    expect(await jobRow('test.deemed-approval', 'c-3')).toMatchObject({ status: 'cancelled' });
  });

  it('a failing job is retried with backoff and then succeeds; one that keeps failing ends failed', async () => {
    const jobs = runner(handle);
    flakyFailures = 2;
    await inTransaction(handle.db, (trx) =>
      scheduleAt<Deemed>(trx, 'test.flaky', now(), { caseId: 'f' }, 'f-1'),
    );
    await jobs.drain();
    expect(await jobRow('test.flaky', 'f-1')).toMatchObject({
      status: 'scheduled',
      attempts: 1,
      last_error: 'department system unavailable',
    });
    setClockOffset(11_000);
    await jobs.drain();
    expect(await jobRow('test.flaky', 'f-1')).toMatchObject({ status: 'scheduled', attempts: 2 });
    setClockOffset(11_000 + 21_000);
    await jobs.drain();
    expect(await jobRow('test.flaky', 'f-1')).toMatchObject({ status: 'done', attempts: 3 });
    expect(calls).toHaveLength(1);

    flakyFailures = 99;
    await inTransaction(handle.db, (trx) =>
      scheduleAt<Deemed>(trx, 'test.flaky', now(), { caseId: 'g' }, 'f-2'),
    );
    for (let i = 1; i <= 4; i++) {
      setClockOffset(11_000 + 21_000 + i * 3_600_000);
      await jobs.drain();
    }
    expect(await jobRow('test.flaky', 'f-2')).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'department system unavailable',
    });
    flakyFailures = 0;
  });

  it('an unknown job name is refused when scheduling', async () => {
    await expect(
      inTransaction(handle.db, (trx) => scheduleAt(trx, 'test.nobody-handles-this', now(), {})),
    ).rejects.toThrow(/INTERNAL/);
  });
});

describe('periodic jobs', () => {
  it('run once per period however many nodes drain at once', async () => {
    const before = ticks;
    const a = runner(handle);
    const b = runner(second);
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    expect(ticks - before).toBe(1);
    await Promise.all([a.drain(), b.drain()]);
    expect(ticks - before).toBe(1);
    setClockOffset(61_000);
    await Promise.all([a.drain(), b.drain()]);
    expect(ticks - before).toBe(2);
    const row = await handle.db
      .selectFrom('job_schedules')
      .selectAll()
      .where('name', '=', 'test.deadline-sweep')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ every_seconds: 60, locked_by: null, last_error: null });
  });
});

describe('a running node', () => {
  it('runs a job scheduled for now as soon as the scheduling transaction commits', async () => {
    const jobs = runner(handle, { JOBS_POLL_SECONDS: '600' });
    await jobs.start();
    await new Promise((r) => setTimeout(r, 200));
    await inTransaction(handle.db, (trx) =>
      scheduleAt<Deemed>(trx, 'test.deemed-approval', now(), { caseId: 'live' }, 'live'),
    );
    const deadline = Date.now() + 5000;
    while (calls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(calls.map((c) => c.payload)).toEqual([{ caseId: 'live' }]);
    expect(calls[0].node).toBe(jobs.nodeId);
  });

  it('runs a job that came due on its own while commits keep waking the node for the outbox', async () => {
    const jobs = runner(handle, { JOBS_POLL_SECONDS: '0.5' });
    await inTransaction(handle.db, (trx) =>
      scheduleAt<Deemed>(trx, 'test.deemed-approval', inOneHour(), { caseId: 'later' }, 'later'),
    );
    await jobs.start();
    await new Promise((r) => setTimeout(r, 200));
    // The hour passes. Nothing NOTIFYs "job"; an outbox event every 100 ms keeps waking the node first.
    setClockOffset(3_600_000 + 1000);
    const deadline = Date.now() + 5000;
    let n = 0;
    while (calls.length === 0 && Date.now() < deadline) {
      n += 1;
      await inTransaction(handle.db, (trx) =>
        enqueueEvent(trx, {
          type: 'test.tick',
          aggregateType: 'test',
          aggregateId: `t${n}`,
          regionCode: '410103',
          payload: {},
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(calls.map((c) => c.payload)).toEqual([{ caseId: 'later' }]);
    // And the events were dispatched as they came, not left for the poll.
    const pending = await handle.db
      .selectFrom('outbox_events')
      .select('id')
      .where('type', '=', 'test.tick')
      .where('status', '=', 'pending')
      .where('aggregate_id', '<>', `t${n}`)
      .execute();
    expect(pending).toEqual([]);
  });

  it('stops gracefully: the job in flight finishes and is recorded', async () => {
    const jobs = runner(handle, { JOBS_POLL_SECONDS: '600' });
    await jobs.start();
    const started = new Promise<void>((resolve) => {
      slowStarted = resolve;
    });
    await inTransaction(handle.db, (trx) =>
      scheduleAt<Deemed>(trx, 'test.slow', now(), { caseId: 's' }, 's-1'),
    );
    await started;
    await jobs.stop();
    expect(calls.map((c) => c.name)).toEqual(['slow']);
    expect(await jobRow('test.slow', 's-1')).toMatchObject({ status: 'done', locked_by: null });
    slowStarted = null;
  });
});

it('the default configuration runs jobs with the outbox SMS provider and no e-mail', () => {
  expect(config.JOBS_ENABLED).toBe(true);
  expect(config.SMS_PROVIDER).toBe('outbox');
  expect(config.SMTP_URL).toBeUndefined();
  expect(() => createJobRunner({ handle, config: loadConfig({ SMS_PROVIDER: 'http' }) })).toThrow(
    /SMS_GATEWAY_URL/,
  );
});
