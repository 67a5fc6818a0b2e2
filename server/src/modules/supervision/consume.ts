import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { now as platformNow } from '../../platform/clock.js';
import type { Tx } from '../../platform/tx.js';
import { calendarFor } from '../calendar/service.js';
import {
  accumulate,
  type CaseFigures,
  type Counter,
  caseFigures,
  counters,
  type DailyDelta,
} from './case-figures.js';
import {
  evaluateCase,
  lateness,
  type NewAlert,
  type RuleCase,
  type RuleEvent,
  type RuleInputs,
  raiseAlerts,
  stepLateness,
} from './rules.js';
import { readSettings } from './settings.js';

/** Held by a consumer's transaction, so consumers on any node take turns. */
const CONSUMER_LOCK = 7242070;

/**
 * Take up to `limit` queued changes, oldest first, in the caller's transaction, and return the cases they
 * name, each once. The queue holds a row per change (migration 0014: the trigger only appends, so a case's
 * action never waits for a consumer); consumers take turns, because two counting one case at once would both
 * add its difference to the rollups. One waiting for another reads the other's figures once it has the lock.
 */
export async function claimDirty(trx: Tx, limit: number): Promise<string[]> {
  await sql`SELECT pg_advisory_xact_lock(${CONSUMER_LOCK})`.execute(trx);
  const claimed = await sql<{ case_id: string }>`
    DELETE FROM sup_dirty WHERE seq IN (SELECT seq FROM sup_dirty ORDER BY seq LIMIT ${limit})
    RETURNING case_id`.execute(trx);
  return [...new Set(claimed.rows.map((r) => r.case_id))];
}

/**
 * The supervision consumer: takes changed cases off `sup_dirty` (`claimDirty`), recomputes their figures,
 * moves the difference into `sup_daily`, and evaluates the case's alert rules — all in the transaction that
 * dequeues them. A case changed meanwhile is queued again by the trigger and counted again; figures are
 * replaced, never added twice.
 */
export async function consumeDirty(db: Db, opts: { batch?: number; now?: Date } = {}): Promise<number> {
  const batch = opts.batch ?? 1000;
  const at = opts.now ?? platformNow();
  return db.transaction().execute(async (trx) => {
    const ids = await claimDirty(trx, batch);
    if (ids.length === 0) return 0;
    await processCases(trx, ids, at);
    return ids.length;
  });
}

/** Consume until the queue is empty (seed, benchmark load, tests). */
export async function consumeAll(
  db: Db,
  opts: { batch?: number; now?: Date; onProgress?: (n: number) => void } = {},
) {
  let total = 0;
  for (;;) {
    const n = await consumeDirty(db, opts);
    if (n === 0) return total;
    total += n;
    opts.onProgress?.(total);
  }
}

/** The case columns the figures and the rules read. */
export const caseColumns = [
  'id',
  'number',
  'item_name',
  'item_version_id',
  'region_code',
  'department_id',
  'item_code',
  'hall_id',
  'window_id',
  'assignee_id',
  'registered_by',
  'channel',
  'status',
  'case_kind',
  'received_at',
  'accepted_on',
  'completed_at',
  'completed_on_spot',
  'promised_due',
  'promised_due_at',
  'promised_days',
  'legal_days',
  'extended_days',
  'correction_count',
  'deficiency_pending',
  'deficiency_due',
  'delivery_method',
  'step_name',
  'step_started_at',
  'step_due_at',
] as const;

type RuleContext = {
  eventsOf: Map<string, (RuleEvent & { case_id: string })[]>;
  docsOf: Map<string, { case_id: string; kind: string }[]>;
  feesOf: Map<string, RuleInputs['fees']>;
  allowedFees: Map<string, Set<string>>;
  absence: Map<string, { at: Date; absent: boolean }[]>;
};

function byCase<T extends { case_id: string }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.case_id);
    if (list) list.push(r);
    else m.set(r.case_id, [r]);
  }
  return m;
}

/** Everything besides the case row that the rules (and the timeline facts of the figures) read. */
async function ruleContext(trx: Tx, cases: { id: string; item_version_id: string }[]): Promise<RuleContext> {
  const caseIds = cases.map((c) => c.id);
  const [events, docs, fees] = await Promise.all([
    trx
      .selectFrom('case_events')
      .select([
        'id',
        'case_id',
        'at',
        'action',
        'actor_id',
        'actor_name',
        'actor_type',
        'via_backup_of',
        'reason',
        'data',
      ])
      .where('case_id', 'in', caseIds)
      .orderBy('case_id')
      .orderBy('at')
      .execute(),
    trx.selectFrom('case_documents').select(['case_id', 'kind']).where('case_id', 'in', caseIds).execute(),
    trx
      .selectFrom('case_fees')
      .select(['id', 'case_id', 'fee_code', 'fee_name', 'amount_fen', 'charged_at', 'charged_by'])
      .where('case_id', 'in', caseIds)
      .execute(),
  ]);
  const feesOf = byCase(fees);
  const allowedFees = await allowedFeeCodes(trx, [
    ...new Set(cases.filter((c) => feesOf.has(c.id)).map((c) => c.item_version_id)),
  ]);
  const primaries = [...new Set(events.map((e) => e.via_backup_of).filter((x): x is string => !!x))];
  return {
    eventsOf: byCase(events),
    docsOf: byCase(docs),
    feesOf,
    allowedFees,
    absence: await absenceMarks(trx, primaries),
  };
}

function alertsOf(c: RuleCase, ctx: RuleContext, offSystemMinutes: number, now: Date): NewAlert[] {
  return evaluateCase({
    c,
    events: ctx.eventsOf.get(c.id) ?? [],
    documentKinds: (ctx.docsOf.get(c.id) ?? []).map((d) => d.kind),
    fees: ctx.feesOf.get(c.id) ?? [],
    allowedFeeCodes: ctx.allowedFees.get(c.item_version_id) ?? new Set(),
    absenceMarks: ctx.absence,
    offSystemMinutes,
    now,
  });
}

/**
 * The alerts the rules raise for these cases as they stand (the backfill uses it for the cases its SQL
 * pre-filter found could break a rule; the consumer runs the same rules on every case it takes).
 */
export async function evaluateAlerts(trx: Tx, ids: string[], now: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const settings = await readSettings(trx);
  const cases = await trx.selectFrom('cases').select(caseColumns).where('id', 'in', ids).execute();
  if (cases.length === 0) return 0;
  const ctx = await ruleContext(trx, cases);
  const alerts = cases.flatMap((c) => alertsOf(c, ctx, settings.off_system_minutes, now));
  return raiseAlerts(trx, alerts, settings, now);
}

async function processCases(trx: Tx, ids: string[], now: Date): Promise<void> {
  const settings = await readSettings(trx);
  const cases = await trx.selectFrom('cases').select(caseColumns).where('id', 'in', ids).execute();
  if (cases.length === 0) return;
  const caseIds = cases.map((c) => c.id);
  const [old, ctx] = await Promise.all([
    trx.selectFrom('sup_case_figures').selectAll().where('case_id', 'in', caseIds).execute(),
    ruleContext(trx, cases),
  ]);
  const oldOf = new Map(old.map((o) => [o.case_id, o]));

  const acc = new Map<string, DailyDelta>();
  const next: CaseFigures[] = [];
  const alerts: NewAlert[] = [];
  for (const c of cases) {
    const calendar = await calendarFor(trx, c.region_code);
    const evs = ctx.eventsOf.get(c.id) ?? [];
    const accept = evs.find(
      (e) => e.action === 'accept' || e.action === 'autoAccept' || e.action === 'completeOnSpot',
    );
    const acceptData =
      accept?.data && typeof accept.data === 'object' ? (accept.data as { deferred?: unknown }) : null;
    const f = caseFigures(
      c,
      {
        deferredAtAcceptance: Array.isArray(acceptData?.deferred) && acceptData.deferred.length > 0,
        preReviewed: evs.some((e) => e.action === 'preReviewPass' || e.action === 'preReviewReturn'),
      },
      calendar,
    );
    const prev = oldOf.get(c.id);
    if (prev) accumulate(acc, prev as CaseFigures, -1);
    accumulate(acc, f, 1);
    next.push(f);
    alerts.push(...alertsOf(c, ctx, settings.off_system_minutes, now));
  }
  await applyDeltas(trx, [...acc.values()]);
  for (let i = 0; i < next.length; i += 1000) {
    const chunk = next.slice(i, i + 1000).map((f) => ({ ...f, updated_at: now }));
    await trx
      .insertInto('sup_case_figures')
      .values(chunk)
      .onConflict((oc) =>
        oc.column('case_id').doUpdateSet((eb) => {
          const set: Record<string, unknown> = {};
          for (const k of Object.keys(chunk[0]) as (keyof (typeof chunk)[0])[])
            if (k !== 'case_id') set[k] = eb.ref(`excluded.${k}`);
          return set;
        }),
      )
      .execute();
  }
  await raiseAlerts(trx, alerts, settings, now);
}

/**
 * Add the deltas to the daily rollup and, summed per month, to the monthly one, in key order (two nodes lock
 * rows in the same order: no deadlock).
 */
async function applyDeltas(trx: Tx, deltas: DailyDelta[]): Promise<void> {
  const rows = deltas
    .filter((d) => counters.some((c) => d[c] !== 0))
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  const keys = ['region_code', 'department_id', 'item_code', 'hall_id', 'window_id', 'staff_id'] as const;
  const add = (table: 'sup_daily' | 'sup_monthly') =>
    Object.fromEntries(
      counters.map((c: Counter) => [c, sql`${sql.ref(`${table}.${c}`)} + excluded.${sql.ref(c)}`]),
    );
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await trx
      .insertInto('sup_daily')
      .values(chunk)
      .onConflict((oc) => oc.columns(['day', ...keys]).doUpdateSet(add('sup_daily')))
      .execute();
  }
  const months = new Map<string, DailyDelta>();
  for (const d of rows) {
    const month = `${d.day.slice(0, 7)}-01`;
    const k = keyOf({ ...d, day: month });
    const m = months.get(k);
    if (m) for (const c of counters) m[c] += d[c];
    else months.set(k, { ...d, day: month });
  }
  const monthly = [...months.values()]
    .filter((d) => counters.some((c) => d[c] !== 0))
    .sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
    .map(({ day, ...rest }) => ({ month: day, ...rest }));
  for (let i = 0; i < monthly.length; i += 500) {
    const chunk = monthly.slice(i, i + 500);
    await trx
      .insertInto('sup_monthly')
      .values(chunk)
      .onConflict((oc) => oc.columns(['month', ...keys]).doUpdateSet(add('sup_monthly')))
      .execute();
  }
}

function keyOf(d: DailyDelta): string {
  return [d.day, d.region_code, d.department_id, d.item_code, d.hall_id, d.window_id, d.staff_id].join('|');
}

/** Per item version: the fee codes it lists that the current fee (or fund) list has. */
async function allowedFeeCodes(trx: Tx, versionIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (versionIds.length === 0) return out;
  const versions = await trx
    .selectFrom('catalog_versions')
    .select(['id', 'data'])
    .where('id', 'in', versionIds)
    .execute();
  const listed = await trx
    .selectFrom('catalog_versions')
    .select('code')
    .where('kind', 'in', ['fee', 'fund'])
    .where('status', '=', 'published')
    .where('effective_until', 'is', null)
    .execute();
  const onList = new Set(listed.map((r) => r.code));
  for (const v of versions) {
    const fees = ((v.data as { fees?: { feeCode: string }[] }).fees ?? []).map((f) => f.feeCode);
    out.set(v.id, new Set(fees.filter((code) => onList.has(code))));
  }
  return out;
}

/** AB 岗: when each primary was marked absent or present (the audit rows of access control). */
async function absenceMarks(
  trx: Tx,
  staffIds: string[],
): Promise<Map<string, { at: Date; absent: boolean }[]>> {
  const out = new Map<string, { at: Date; absent: boolean }[]>();
  if (staffIds.length === 0) return out;
  const rows = await trx
    .selectFrom('audit_log')
    .select(['target_id', 'at', 'action'])
    .where('target_type', '=', 'staff')
    .where('target_id', 'in', staffIds)
    .where('action', 'in', ['staff.absent', 'staff.present'])
    .orderBy('at')
    .execute();
  for (const r of rows) {
    const id = r.target_id as string;
    const list = out.get(id) ?? [];
    list.push({ at: r.at, absent: r.action === 'staff.absent' });
    out.set(id, list);
  }
  return out;
}

/**
 * Time alone makes some cases late: a sweep over the deadline indexes raises `overdue` and `step_overdue`
 * for open cases that have none yet, up to `batch` of each kind a sweep (the next sweep takes the rest).
 */
export async function sweepDeadlines(db: Db, at: Date = platformNow(), batch = 2000): Promise<number> {
  const settings = await readSettings(db);
  const base = () =>
    db
      .selectFrom('cases as c')
      .select([
        'c.id',
        'c.number',
        'c.item_name',
        'c.item_version_id',
        'c.region_code',
        'c.department_id',
        'c.status',
        'c.assignee_id',
        'c.registered_by',
        'c.correction_count',
        'c.promised_due_at',
        'c.completed_at',
        'c.step_name',
        'c.step_started_at',
        'c.step_due_at',
      ]);
  const late = await base()
    .where('c.status', 'in', ['accepted', 'approved', 'denied'])
    .where('c.promised_due_at', '<', at)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sup_alerts as a')
            .select('a.id')
            .where('a.rule', '=', 'overdue')
            .whereRef('a.dedupe_key', '=', sql<string>`c.id::text`),
        ),
      ),
    )
    .limit(batch)
    .execute();
  const stepLate = await base()
    .where('c.status', '=', 'accepted')
    .where('c.step_due_at', '<', at)
    .where('c.promised_due_at', '>=', at)
    // Not the steps already raised (an alert for the case since its step began), or the same first `batch`
    // would come back every sweep and the cases after them would never be raised.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sup_alerts as a')
            .select('a.id')
            .where('a.rule', '=', 'step_overdue')
            .whereRef('a.case_id', '=', 'c.id')
            .where('a.raised_at', '>=', sql<Date>`coalesce(c.step_started_at, '-infinity'::timestamptz)`),
        ),
      ),
    )
    .limit(batch)
    .execute();
  const alerts: NewAlert[] = [];
  for (const c of late) {
    const evidence = lateness(c, at);
    if (evidence)
      alerts.push({
        rule: 'overdue',
        dedupeKey: c.id,
        caseId: c.id,
        caseNumber: c.number,
        itemName: c.item_name,
        regionCode: c.region_code,
        departmentId: c.department_id,
        staffId: c.assignee_id,
        evidence,
      });
  }
  for (const c of stepLate) {
    const s = stepLateness(c, at);
    if (s)
      alerts.push({
        rule: 'step_overdue',
        dedupeKey: `${c.id}|${s.step}|${s.stepStartedAt}`,
        caseId: c.id,
        caseNumber: c.number,
        itemName: c.item_name,
        regionCode: c.region_code,
        departmentId: c.department_id,
        staffId: c.assignee_id,
        evidence: s,
      });
  }
  if (alerts.length === 0) return 0;
  return db.transaction().execute((trx) => raiseAlerts(trx, alerts, settings, at));
}
