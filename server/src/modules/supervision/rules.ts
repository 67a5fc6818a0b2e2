import { sql } from 'kysely';
import type { AlertSeverity } from '../../db/supervision-types.js';
import { systemActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { civilDate } from '../../platform/clock.js';
import { newId } from '../../platform/ids.js';
import type { Tx } from '../../platform/tx.js';
import { calendarFor } from '../calendar/service.js';

/**
 * Alert rules (监察规则). Each alert carries its evidence: the timestamps, events and records that show the
 * breach, so a department can answer it without asking. One alert per (rule, subject): raising twice is a
 * no-op (unique key), so the job may run again after a crash.
 */
export const alertRules = [
  'overdue', // the case passed its promised deadline (open, or completed late)
  'step_overdue', // a step passed its own limit while the case as a whole is still on time
  'off_system', // registered long after the applicant arrived (体外循环)
  'false_completion', // completed without the result issued in the system (假办结)
  'repeated_correction', // more than one correction notice for one case (一次性告知 broken)
  'refusal_without_basis', // refusal or denial without a legal basis
  'deemed_approval', // 超时默认: approved because the deadline passed
  'auto_acceptance', // art. 32: accepted because nobody decided within 5 working days
  'fee_not_listed', // a fee charged that the item's fee list does not have
  'backup_without_absence', // AB 岗: the backup acted while the primary was not marked absent
] as const;
export type AlertRule = (typeof alertRules)[number];

export const ruleSeverity: Record<AlertRule, AlertSeverity> = {
  overdue: 'serious',
  step_overdue: 'warning',
  off_system: 'serious',
  false_completion: 'serious',
  repeated_correction: 'warning',
  refusal_without_basis: 'serious',
  deemed_approval: 'info',
  auto_acceptance: 'info',
  fee_not_listed: 'serious',
  backup_without_absence: 'warning',
};

export type NewAlert = {
  rule: AlertRule;
  dedupeKey: string;
  caseId: string;
  caseNumber: string;
  itemName: string;
  regionCode: string;
  departmentId: string;
  staffId: string | null;
  evidence: Record<string, unknown>;
};

export type RuleCase = {
  id: string;
  number: string;
  item_name: string;
  item_version_id: string;
  region_code: string;
  department_id: string;
  status: string;
  assignee_id: string | null;
  registered_by: string | null;
  correction_count: number;
  promised_due_at: Date | null;
  completed_at: Date | null;
  step_name: string | null;
  step_started_at: Date | null;
  step_due_at: Date | null;
};

export type RuleEvent = {
  id: string;
  at: Date;
  action: string;
  actor_id: string | null;
  actor_name: string;
  actor_type: string;
  via_backup_of: string | null;
  reason: string | null;
  data: unknown;
};

export type RuleInputs = {
  c: RuleCase;
  events: RuleEvent[];
  /** Kinds of the documents issued on the case. */
  documentKinds: string[];
  fees: {
    id: string;
    fee_code: string;
    fee_name: string;
    amount_fen: number;
    charged_at: Date;
    charged_by: string | null;
  }[];
  /** Fee codes the item's version lists that exist in the current fee list. */
  allowedFeeCodes: Set<string>;
  /** For each primary named by a backup action: the absence marks (audit rows) up to now. */
  absenceMarks: Map<string, { at: Date; absent: boolean }[]>;
  offSystemMinutes: number;
  now: Date;
};

const resultKinds = new Set(['decision', 'denial', 'certificate', 'licence']);
const completionActions = new Set(['issue', 'completeOnSpot']);
const boardStatuses = new Set(['accepted', 'approved', 'denied']);

function data(e: RuleEvent): Record<string, unknown> | null {
  return e.data && typeof e.data === 'object' ? (e.data as Record<string, unknown>) : null;
}

/** Every rule over one case's current state and timeline. */
export function evaluateCase(x: RuleInputs): NewAlert[] {
  const { c, events } = x;
  const out: NewAlert[] = [];
  const base = {
    caseId: c.id,
    caseNumber: c.number,
    itemName: c.item_name,
    regionCode: c.region_code,
    departmentId: c.department_id,
  };
  const add = (
    rule: AlertRule,
    dedupeKey: string,
    staffId: string | null,
    evidence: Record<string, unknown>,
  ) => out.push({ ...base, rule, dedupeKey, staffId, evidence });

  const late = lateness(c, x.now);
  if (late) add('overdue', c.id, c.assignee_id, late);
  const step = stepLateness(c, x.now);
  if (step) add('step_overdue', `${c.id}|${step.step}|${step.stepStartedAt}`, c.assignee_id, step);

  for (const e of events) {
    const d = data(e);
    if (e.action === 'register' && typeof d?.arrivedAt === 'string') {
      const arrived = new Date(d.arrivedAt);
      const minutes = Math.floor((e.at.getTime() - arrived.getTime()) / 60_000);
      if (minutes > x.offSystemMinutes)
        add('off_system', c.id, e.actor_id, {
          arrivedAt: arrived.toISOString(),
          registeredAt: e.at.toISOString(),
          minutes,
          thresholdMinutes: x.offSystemMinutes,
          registeredBy: e.actor_name,
          eventId: e.id,
        });
    }
    if ((e.action === 'refuse' || e.action === 'deny') && d !== null) {
      const basis = typeof d.legalBasis === 'string' ? d.legalBasis.trim() : '';
      if (!basis)
        add('refusal_without_basis', e.id, e.actor_id, {
          action: e.action,
          at: e.at.toISOString(),
          by: e.actor_name,
          reason: e.reason,
          legalBasis: null,
        });
    }
    if (e.action === 'deemApprove')
      add('deemed_approval', e.id, c.assignee_id, {
        at: e.at.toISOString(),
        promisedDueAt: c.promised_due_at?.toISOString() ?? null,
        reason: e.reason,
      });
    if (e.action === 'autoAccept')
      add('auto_acceptance', e.id, c.registered_by, { at: e.at.toISOString(), reason: e.reason });
    if (e.via_backup_of) {
      const marks = (x.absenceMarks.get(e.via_backup_of) ?? []).filter(
        (m) => m.at.getTime() <= e.at.getTime(),
      );
      const last = marks.at(-1);
      if (!last?.absent)
        add('backup_without_absence', e.id, e.actor_id, {
          action: e.action,
          at: e.at.toISOString(),
          backup: e.actor_name,
          primaryStaffId: e.via_backup_of,
          lastMark: last ? { at: last.at.toISOString(), absent: last.absent } : null,
        });
    }
  }

  const corrections = events.filter((e) => e.action === 'requestCorrection');
  if (corrections.length > 1 || c.correction_count > 1)
    add('repeated_correction', c.id, corrections.at(-1)?.actor_id ?? c.registered_by, {
      count: Math.max(corrections.length, c.correction_count),
      notices: corrections.map((e) => ({ at: e.at.toISOString(), by: e.actor_name, items: e.reason })),
    });

  const completion = events.filter((e) => completionActions.has(e.action) && data(e) !== null).at(-1);
  if (
    completion &&
    (c.status === 'completed' || c.status === 'delivered') &&
    !x.documentKinds.some((k) => resultKinds.has(k))
  )
    add('false_completion', c.id, completion.actor_id, {
      completedAt: completion.at.toISOString(),
      by: completion.actor_name,
      documentsIssued: x.documentKinds,
    });

  for (const f of x.fees) {
    if (!x.allowedFeeCodes.has(f.fee_code))
      add('fee_not_listed', f.id, f.charged_by, {
        feeCode: f.fee_code,
        feeName: f.fee_name,
        amountFen: f.amount_fen,
        chargedAt: f.charged_at.toISOString(),
        allowedFeeCodes: [...x.allowedFeeCodes].sort(),
      });
  }
  return out;
}

/** Late: open past the promised deadline, or completed after it. */
export function lateness(c: RuleCase, now: Date): Record<string, unknown> | null {
  if (!c.promised_due_at) return null;
  if (boardStatuses.has(c.status) && now.getTime() > c.promised_due_at.getTime())
    return { promisedDueAt: c.promised_due_at.toISOString(), status: c.status, seenAt: now.toISOString() };
  if (c.completed_at && c.completed_at.getTime() > c.promised_due_at.getTime())
    return {
      promisedDueAt: c.promised_due_at.toISOString(),
      completedAt: c.completed_at.toISOString(),
      status: c.status,
    };
  return null;
}

export function stepLateness(
  c: RuleCase,
  now: Date,
): { step: string; stepStartedAt: string; stepDueAt: string; promisedDueAt: string } | null {
  if (c.status !== 'accepted' || !c.step_due_at || !c.promised_due_at) return null;
  if (now.getTime() <= c.step_due_at.getTime() || now.getTime() > c.promised_due_at.getTime()) return null;
  return {
    step: c.step_name ?? '',
    stepStartedAt: c.step_started_at?.toISOString() ?? '',
    stepDueAt: c.step_due_at.toISOString(),
    promisedDueAt: c.promised_due_at.toISOString(),
  };
}

/** Write new alerts (existing ones are left alone) with their own deadline; returns how many were new. */
export async function raiseAlerts(
  trx: Tx,
  alerts: NewAlert[],
  settings: { alert_due_days: number },
  now: Date,
): Promise<number> {
  if (alerts.length === 0) return 0;
  let raised = 0;
  const today = civilDate(now);
  for (let i = 0; i < alerts.length; i += 500) {
    const chunk = alerts.slice(i, i + 500);
    const rows = [];
    for (const a of chunk) {
      const calendar = await calendarFor(trx, a.regionCode);
      rows.push({
        id: newId(),
        rule: a.rule,
        dedupe_key: a.dedupeKey,
        severity: ruleSeverity[a.rule],
        status: 'raised' as const,
        case_id: a.caseId,
        case_number: a.caseNumber,
        item_name: a.itemName,
        region_code: a.regionCode,
        department_id: a.departmentId,
        staff_id: a.staffId,
        evidence: JSON.stringify(a.evidence),
        raised_at: now,
        due_on: calendar.addWorkingDays(today, settings.alert_due_days).date,
      });
    }
    const inserted = await trx
      .insertInto('sup_alerts')
      .values(rows)
      .onConflict((oc) => oc.columns(['rule', 'dedupe_key']).doNothing())
      .returning(['id', 'rule', 'case_id', 'region_code', 'department_id'])
      .execute();
    for (const r of inserted)
      await recordAudit(trx, systemActor, {
        action: 'supervision.alert.raise',
        targetType: 'sup_alert',
        targetId: r.id,
        regionCode: r.region_code,
        after: { rule: r.rule, caseId: r.case_id, status: 'raised' },
      });
    raised += inserted.length;
  }
  if (raised > 0) await bumpChange(trx);
  return raised;
}

/** Tell every node's live board that alerts or cards changed (a sequence: no row lock, no contention). */
export async function bumpChange(trx: Tx): Promise<void> {
  await sql`SELECT nextval('sup_change_seq')`.execute(trx);
}
