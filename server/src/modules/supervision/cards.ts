import { type Selectable, sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { SupCardsTable } from '../../db/supervision-types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { civilDate, now } from '../../platform/clock.js';
import { AppError, fieldError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Page } from '../../platform/paging.js';
import { renderDocument } from '../../platform/pdf/index.js';
import { requireStaff } from '../../platform/policy.js';
import { calendarFor } from '../calendar/service.js';
import {
  assertAnswer,
  assertSupervise,
  canSeeRecord,
  readerScope,
  requireSupervisor,
  scopeFilter,
} from './policy.js';
import { bumpChange } from './rules.js';
import type * as s from './schema.js';
import { readSettings } from './settings.js';

/**
 * 效能监察 cards: a supervisor issues a yellow or red card to a department or one of its staff, with the
 * reason and the alerts behind it and a rectification deadline; the department answers with what it did
 * (rectified) and the supervisor closes it. The rectification notice (整改通知书) is a PDF rendered from
 * the card.
 */
type CardRow = Selectable<SupCardsTable> & {
  department_name: string;
  staff_name: string | null;
  issuer_name: string;
};
export type Card = z.output<typeof s.card>;

function present(r: CardRow): Card {
  return {
    id: r.id,
    number: r.number,
    color: r.color,
    targetType: r.target_type,
    regionCode: r.region_code,
    departmentId: r.department_id,
    departmentName: r.department_name,
    staffId: r.staff_id,
    staffName: r.staff_name,
    reason: r.reason,
    alertIds: Array.isArray(r.alert_ids) ? (r.alert_ids as string[]) : [],
    status: r.status,
    issuedAt: r.issued_at.toISOString(),
    issuedBy: r.issuer_name,
    rectifyDue: r.rectify_due,
    rectificationNote: r.rectification_note,
    rectifiedAt: r.rectified_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    version: r.version,
  };
}

function baseQuery(db: Db) {
  return db
    .selectFrom('sup_cards as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .innerJoin('staff as iss', 'iss.id', 'c.issued_by')
    .leftJoin('staff as st', 'st.id', 'c.staff_id')
    .selectAll('c')
    .select([
      'd.name as department_name',
      'st.display_name as staff_name',
      'iss.display_name as issuer_name',
    ]);
}

async function cardRow(db: Db, id: string): Promise<CardRow> {
  const row = await baseQuery(db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('what.card');
  return row;
}

export async function getCard(db: Db, actorIn: Actor | null, id: string): Promise<Card> {
  const scope = readerScope(actorIn);
  const row = await cardRow(db, id);
  if (!canSeeRecord(scope, row.region_code, row.department_id))
    throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
  return present(row);
}

export async function listCards(
  db: Db,
  actorIn: Actor | null,
  q: z.output<typeof s.cardList>,
): Promise<Page<Card>> {
  const scope = readerScope(actorIn);
  let query = db.selectFrom('sup_cards as c').where(scopeFilter(scope, 'c.region_code', 'c.department_id'));
  if (q.status) query = query.where('c.status', '=', q.status);
  if (q.departmentId) query = query.where('c.department_id', '=', q.departmentId);
  const count = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const ids = await query
    .select('c.id')
    .orderBy('c.issued_at', 'desc')
    .orderBy('c.id')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const rows =
    ids.length === 0
      ? []
      : await baseQuery(db)
          .where(
            'c.id',
            'in',
            ids.map((i) => i.id),
          )
          .orderBy('c.issued_at', 'desc')
          .orderBy('c.id')
          .execute();
  return { items: rows.map(present), total: Number(count?.n ?? 0), page: q.page, pageSize: q.pageSize };
}

export async function issueCard(
  db: Db,
  actorIn: Actor | null,
  input: z.output<typeof s.createCard>,
): Promise<Card> {
  const actor = requireSupervisor(actorIn);
  const dept = await db
    .selectFrom('departments')
    .select(['id', 'region_code', 'name'])
    .where('id', '=', input.departmentId)
    .executeTakeFirst();
  if (!dept) throw fieldError('departmentId', 'exists', 'rule.exists', { what: 'what.department' });
  assertSupervise(actor, dept.region_code);
  if (input.targetType === 'staff') {
    if (!input.staffId) throw fieldError('staffId', 'required', 'rule.required');
    const st = await db
      .selectFrom('staff')
      .select(['id', 'department_id'])
      .where('id', '=', input.staffId)
      .executeTakeFirst();
    if (!st) throw fieldError('staffId', 'exists', 'rule.exists', { what: 'what.staff' });
  } else if (input.staffId) {
    throw fieldError('staffId', 'forbidden', 'rule.unknownKey');
  }
  if (input.alertIds.length > 0) {
    const found = await db
      .selectFrom('sup_alerts')
      .select(['id', 'department_id'])
      .where('id', 'in', input.alertIds)
      .execute();
    const bad = input.alertIds.find((a) => !found.some((f) => f.id === a && f.department_id === dept.id));
    if (bad) throw fieldError('alertIds', 'exists', 'rule.alertOfDepartment', { id: bad });
  }
  const settings = await readSettings(db);
  const calendar = await calendarFor(db, dept.region_code);
  const at = now();
  const day = civilDate(at);
  const due = calendar.addWorkingDays(day, input.rectifyDays ?? settings.card_due_days).date;
  const id = newId();
  await db.transaction().execute(async (trx) => {
    // 监察卡 number: per year, in issue order (the advisory lock orders concurrent issuers).
    await sql`SELECT pg_advisory_xact_lock(7242060)`.execute(trx);
    const year = day.slice(0, 4);
    const last = await trx
      .selectFrom('sup_cards')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('number', 'like', `JC${year}-%`)
      .executeTakeFirst();
    const number = `JC${year}-${String(Number(last?.n ?? 0) + 1).padStart(4, '0')}`;
    await trx
      .insertInto('sup_cards')
      .values({
        id,
        number,
        color: input.color,
        target_type: input.targetType,
        region_code: dept.region_code,
        department_id: dept.id,
        staff_id: input.targetType === 'staff' ? (input.staffId ?? null) : null,
        reason: input.reason,
        alert_ids: JSON.stringify(input.alertIds),
        status: 'issued',
        issued_by: actor.id,
        issued_at: at,
        rectify_due: due,
      })
      .execute();
    await recordAudit(trx, actor, {
      action: 'supervision.card.issue',
      targetType: 'sup_card',
      targetId: id,
      regionCode: dept.region_code,
      after: {
        number,
        color: input.color,
        targetType: input.targetType,
        departmentId: dept.id,
        staffId: input.staffId ?? null,
        rectifyDue: due,
      },
      reason: input.reason,
    });
    await bumpChange(trx);
  });
  return getCard(db, actor, id);
}

export async function stepCard(
  db: Db,
  actorIn: Actor | null,
  id: string,
  step: { kind: 'rectify'; version: number; note: string } | { kind: 'close'; version: number },
): Promise<Card> {
  const actor = requireStaff(actorIn);
  const row = await cardRow(db, id);
  if (step.kind === 'close') assertSupervise(actor, row.region_code);
  else assertAnswer(actor, row.region_code, row.department_id);
  const allowed = step.kind === 'rectify' ? ['issued'] : ['rectified', 'issued'];
  if (!allowed.includes(row.status))
    throw new AppError('CONFLICT', 'error.cardState', { status: row.status, action: step.kind });
  if (row.version !== step.version) throw new AppError('VERSION_CONFLICT', 'error.conflict');
  const at = now();
  const set =
    step.kind === 'rectify'
      ? {
          status: 'rectified' as const,
          rectification_note: step.note,
          rectified_at: at,
          rectified_by: actor.id,
        }
      : { status: 'closed' as const, closed_at: at, closed_by: actor.id };
  await db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('sup_cards')
      .set({ ...set, version: row.version + 1 })
      .where('id', '=', id)
      .where('version', '=', row.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', 'error.conflict');
    await recordAudit(trx, actor, {
      action: `supervision.card.${step.kind}`,
      targetType: 'sup_card',
      targetId: id,
      regionCode: row.region_code,
      before: { status: row.status, version: row.version },
      after: { status: set.status, version: row.version + 1 },
      reason: step.kind === 'rectify' ? step.note : null,
    });
    await bumpChange(trx);
  });
  return getCard(db, actor, id);
}

/** 整改通知书: the card as a printable notice. */
export async function cardNotice(
  db: Db,
  actorIn: Actor | null,
  id: string,
): Promise<{ name: string; pdf: Uint8Array }> {
  const card = await getCard(db, actorIn, id);
  const alerts =
    card.alertIds.length === 0
      ? []
      : await db
          .selectFrom('sup_alerts')
          .select(['case_number', 'rule', 'raised_at'])
          .where('id', 'in', card.alertIds)
          .orderBy('raised_at')
          .execute();
  const colour = card.color === 'red' ? '红牌' : '黄牌';
  const target = card.staffName ? `${card.departmentName} ${card.staffName}` : card.departmentName;
  const pdf = await renderDocument({
    title: `效能监察${colour}整改通知书`,
    docNumber: card.number,
    caseNumber: card.number,
    recipient: card.departmentName,
    paragraphs: [
      `经电子监察发现,${target}存在以下问题,现予以${colour}警示:`,
      card.reason,
      `请于 ${card.rectifyDue} 前完成整改,并在系统中提交整改情况说明及相关材料。逾期未整改的,将依照责任追究制度处理。`,
    ],
    ...(alerts.length > 0
      ? {
          table: {
            head: ['办件编号', '监察规则', '发现时间'],
            rows: alerts.map((a) => [
              a.case_number ?? '—',
              ruleNames[a.rule] ?? a.rule,
              civilDate(a.raised_at),
            ]),
          },
        }
      : {}),
    issuer: '电子监察中心',
    date: civilDate(new Date(card.issuedAt)),
  });
  return { name: `${card.number}.pdf`, pdf };
}

/** Chinese names of the rules, for documents. */
export const ruleNames: Record<string, string> = {
  overdue: '办件超期',
  step_overdue: '环节超时',
  off_system: '体外循环(登记晚于到场)',
  false_completion: '假办结(未出证办结)',
  repeated_correction: '多次补正',
  refusal_without_basis: '不予受理/不予许可无法律依据',
  deemed_approval: '超时默认',
  auto_acceptance: '逾期视为受理',
  fee_not_listed: '收费不在收费目录',
  backup_without_absence: 'AB岗:A岗未缺岗由B岗办理',
};
