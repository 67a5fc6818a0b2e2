import { sql } from 'kysely';
import { civilDate } from '../../platform/clock.js';
import { type JobContext, registerPeriodic } from '../../platform/jobs/registry.js';
import { enqueueEvent } from '../../platform/outbox.js';
import { calendarFor } from '../calendar/service.js';
import { caseFileStore } from './files.js';
import { ART32_DAYS, type CaseCtx, systemAct } from './service.js';

/**
 * The clocks' timed work, on the job runner (claimed with SKIP LOCKED, so several nodes never fire one twice;
 * each act is also guarded by the case's version, so a double run changes nothing).
 */
const ctxOf = (job: JobContext): CaseCtx => ({
  db: job.db,
  config: job.config,
  files: caseFileStore(job.config),
});

/**
 * Art. 32: received, neither accepted nor sent back within 5 working days → accepted as of the day of receipt.
 * Up to `batch` candidates a run, the longest-waiting first: five calendar days pick them, the region's
 * working days decide, so after a weekend or a holiday many candidates are not due yet — taken in any order,
 * a batch of those would come back every run and hold back the cases that are.
 */
export async function runArt32(job: JobContext, batch = 500): Promise<number> {
  const candidates = await job.db
    .selectFrom('cases')
    .select(['id', 'region_code', 'received_at'])
    .where('status', 'in', ['submitted', 'registered'])
    .where('received_at', '<', new Date(job.now.getTime() - ART32_DAYS * 86400_000))
    .orderBy('received_at')
    .limit(batch)
    .execute();
  let done = 0;
  const today = civilDate(job.now);
  for (const c of candidates) {
    const calendar = await calendarFor(job.db, c.region_code);
    const limit = calendar.addWorkingDays(civilDate(c.received_at as Date), ART32_DAYS).date;
    if (today <= limit) continue;
    await tolerate(job, () =>
      systemAct(
        ctxOf(job),
        c.id,
        'autoAccept',
        '《行政许可法》第三十二条:五日内未作出受理决定或补正告知,视为受理',
      ),
    );
    done += 1;
  }
  return done;
}

/** 超时默认: an item that allows it is approved when its promised deadline passes without a decision. */
export async function runDeemedApprovals(job: JobContext): Promise<number> {
  const due = await job.db
    .selectFrom('cases')
    .select('id')
    // The predicate of cases_deemed_due_idx, written as it is there (migration 0015).
    .where(sql<boolean>`status = 'accepted' AND deemed_allowed AND NOT deficiency_pending`)
    .where('promised_due_at', '<', job.now)
    .orderBy('promised_due_at')
    .limit(500)
    .execute();
  for (const c of due)
    await tolerate(job, () =>
      systemAct(ctxOf(job), c.id, 'deemApprove', '承诺期限届满未作出决定,依法视为准予'),
    );
  return due.length;
}

/** Yellow warning once per case, and a reminder when a 容缺 material's supply date has come. */
export async function runWarnings(job: JobContext): Promise<number> {
  const yellow = await job.db
    .selectFrom('cases')
    .selectAll()
    .where(sql<boolean>`status = 'accepted' AND NOT warning_sent`) // cases_warn_due_idx
    .where('warn_at', '<=', job.now)
    .orderBy('warn_at') // the longest overdue first; the index gives this order
    .limit(500)
    .execute();
  const today = civilDate(job.now);
  const deficient = await job.db
    .selectFrom('cases')
    .selectAll()
    .where(sql<boolean>`deficiency_pending AND NOT deficiency_notified`) // cases_deficiency_due_idx
    .where('deficiency_due', '<=', today)
    .orderBy('deficiency_due')
    .limit(500)
    .execute();
  for (const [kind, rows] of [
    ['warning', yellow],
    ['deficiencyDue', deficient],
  ] as const) {
    for (const c of rows) {
      await job.db.transaction().execute(async (trx) => {
        const flag = kind === 'warning' ? 'warning_sent' : 'deficiency_notified';
        const res =
          await sql`UPDATE cases SET ${sql.ref(flag)} = true WHERE id = ${c.id} AND ${sql.ref(flag)} = false`.execute(
            trx,
          );
        if (Number(res.numAffectedRows ?? 0) !== 1) return;
        await enqueueEvent(trx, {
          type: `case.${kind}`,
          aggregateType: 'case',
          aggregateId: c.id,
          regionCode: c.region_code,
          payload: {
            caseId: c.id,
            number: c.number,
            itemName: c.item_name,
            status: c.status,
            promisedDue: kind === 'warning' ? c.promised_due : c.deficiency_due,
          },
          recipients: [
            {
              ...(c.applicant_account_id
                ? { account: { type: 'applicant' as const, id: c.applicant_account_id } }
                : {}),
              mobile: c.applicant_mobile,
            },
          ],
        });
      });
    }
  }
  return yellow.length + deficient.length;
}

/**
 * Fold the case counters of PostgreSQL backends that have gone (a pool closes idle connections) into slot 0,
 * so the staff lists' totals sum a few rows per department and status (migration 0013). One statement: the
 * rows moved and the sums they join change together.
 */
export async function compactCaseCounts(job: Pick<JobContext, 'db'>): Promise<number> {
  const res = await sql<{ moved: number }>`
    WITH gone AS (
      DELETE FROM case_counts WHERE slot <> 0 AND slot NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
      RETURNING department_id, status, step_role, n
    ), folded AS (
      INSERT INTO case_counts AS k (department_id, status, step_role, slot, n)
      SELECT department_id, status, step_role, 0, sum(n)::int FROM gone GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (department_id, status, step_role, slot) DO UPDATE SET n = k.n + excluded.n
    )
    SELECT count(*)::int AS moved FROM gone`.execute(job.db);
  return Number(res.rows[0]?.moved ?? 0);
}

async function tolerate(job: JobContext, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    // A case changed meanwhile (409) is simply skipped: the next run sees its new state.
    job.log.warn({ err }, 'case job skipped a case');
  }
}

let registered = false;
export function registerCaseJobs(): void {
  if (registered) return;
  registered = true;
  registerPeriodic('cases.art32', 600, runArt32);
  registerPeriodic('cases.deemed-approval', 600, runDeemedApprovals);
  registerPeriodic('cases.warnings', 300, runWarnings);
  registerPeriodic('cases.compact-counts', 60, compactCaseCounts);
}
