import type { Selectable } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { AlertStatus, SupAlertsTable } from '../../db/supervision-types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { now, today } from '../../platform/clock.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Page } from '../../platform/paging.js';
import { requireStaff } from '../../platform/policy.js';
import { assertAnswer, assertSupervise, canSeeRecord, readerScope, scopeFilter } from './policy.js';
import type { AlertRule } from './rules.js';
import { bumpChange } from './rules.js';
import type * as s from './schema.js';

/**
 * The life of an alert: raised → acknowledged (the department has seen it) → rectified (with a note and
 * evidence) → closed by a supervisor, who may instead send it back (reopen → acknowledged). Each alert has
 * its own deadline (`due_on`, working days from raising, from the settings); one past it is shown overdue.
 */
type AlertRow = Selectable<SupAlertsTable> & { department_name: string; staff_name: string | null };
export type Alert = z.output<typeof s.alert>;

const transitions: Record<'acknowledge' | 'rectify' | 'close' | 'reopen', AlertStatus[]> = {
  acknowledge: ['raised'],
  rectify: ['raised', 'acknowledged'],
  close: ['rectified', 'raised', 'acknowledged'],
  reopen: ['rectified'],
};

function present(r: AlertRow, todayIs: string): Alert {
  return {
    id: r.id,
    rule: r.rule as AlertRule,
    severity: r.severity,
    status: r.status,
    caseId: r.case_id,
    caseNumber: r.case_number,
    itemName: r.item_name,
    regionCode: r.region_code,
    departmentId: r.department_id,
    departmentName: r.department_name,
    staffName: r.staff_name,
    evidence: (r.evidence ?? {}) as Record<string, unknown>,
    raisedAt: r.raised_at.toISOString(),
    dueOn: r.due_on,
    overdue: (r.status === 'raised' || r.status === 'acknowledged') && r.due_on < todayIs,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    rectifiedAt: r.rectified_at?.toISOString() ?? null,
    rectificationNote: r.rectification_note,
    rectificationEvidence: Array.isArray(r.rectification_evidence)
      ? (r.rectification_evidence as string[])
      : [],
    closedAt: r.closed_at?.toISOString() ?? null,
    closeNote: r.close_note,
    version: r.version,
  };
}

function baseQuery(db: Db) {
  return db
    .selectFrom('sup_alerts as a')
    .innerJoin('departments as d', 'd.id', 'a.department_id')
    .leftJoin('staff as st', 'st.id', 'a.staff_id');
}

export async function listAlerts(
  db: Db,
  actorIn: Actor | null,
  q: z.output<typeof s.alertList>,
): Promise<Page<Alert>> {
  const scope = readerScope(actorIn);
  let query = baseQuery(db).where(scopeFilter(scope, 'a.region_code', 'a.department_id'));
  if (q.status) query = query.where('a.status', '=', q.status);
  if (q.rule) query = query.where('a.rule', '=', q.rule);
  if (q.departmentId) query = query.where('a.department_id', '=', q.departmentId);
  if (q.caseId) query = query.where('a.case_id', '=', q.caseId);
  if (q.q) query = query.where('a.case_number', 'like', `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const count = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await query
    .selectAll('a')
    .select(['d.name as department_name', 'st.display_name as staff_name'])
    .orderBy('a.raised_at', 'desc')
    .orderBy('a.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const t = today();
  return {
    items: rows.map((r) => present(r, t)),
    total: Number(count?.n ?? 0),
    page: q.page,
    pageSize: q.pageSize,
  };
}

async function alertOrThrow(db: Db, id: string): Promise<AlertRow> {
  const row = await baseQuery(db)
    .selectAll('a')
    .select(['d.name as department_name', 'st.display_name as staff_name'])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('what.alert');
  return row;
}

export async function getAlert(db: Db, actorIn: Actor | null, id: string): Promise<Alert> {
  const scope = readerScope(actorIn);
  const row = await alertOrThrow(db, id);
  if (!canSeeRecord(scope, row.region_code, row.department_id))
    throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
  return present(row, today());
}

type Step =
  | { kind: 'acknowledge'; version: number }
  | { kind: 'rectify'; version: number; note: string; evidence: string[] }
  | { kind: 'close'; version: number; note?: string }
  | { kind: 'reopen'; version: number; note: string };

/** One lifecycle step: checked, written only if the alert is unchanged, audited, in one transaction. */
export async function stepAlert(db: Db, actorIn: Actor | null, id: string, step: Step): Promise<Alert> {
  const actor = requireStaff(actorIn);
  const row = await alertOrThrow(db, id);
  if (step.kind === 'close' || step.kind === 'reopen') assertSupervise(actor, row.region_code);
  else assertAnswer(actor, row.region_code, row.department_id);
  if (!transitions[step.kind].includes(row.status))
    throw new AppError('CONFLICT', 'error.alertState', { status: row.status, action: step.kind });
  if (row.version !== step.version) throw new AppError('VERSION_CONFLICT', 'error.conflict');
  const at = now();
  const set =
    step.kind === 'acknowledge'
      ? { status: 'acknowledged' as const, acknowledged_at: at, acknowledged_by: actor.id }
      : step.kind === 'rectify'
        ? {
            status: 'rectified' as const,
            rectified_at: at,
            rectified_by: actor.id,
            rectification_note: step.note,
            rectification_evidence: JSON.stringify(step.evidence),
            ...(row.acknowledged_at ? {} : { acknowledged_at: at, acknowledged_by: actor.id }),
          }
        : step.kind === 'close'
          ? { status: 'closed' as const, closed_at: at, closed_by: actor.id, close_note: step.note ?? null }
          : { status: 'acknowledged' as const, close_note: step.note, rectified_at: null };
  await db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('sup_alerts')
      .set({ ...set, version: row.version + 1 })
      .where('id', '=', id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', 'error.conflict');
    await recordAudit(trx, actor, {
      action: `supervision.alert.${step.kind}`,
      targetType: 'sup_alert',
      targetId: id,
      regionCode: row.region_code,
      before: { status: row.status, version: row.version },
      after: { status: set.status, version: row.version + 1 },
      reason: 'note' in step ? (step.note ?? null) : null,
    });
    await bumpChange(trx);
  });
  return getAlert(db, actor, id);
}
