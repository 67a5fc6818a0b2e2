import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { civilDate, now, today } from '../../platform/clock.js';
import { AppError, type FieldError, fieldError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { hasRole, isSysAdmin, regionVisible, requireRole } from '../../platform/policy.js';
import { calendarFor } from '../calendar/service.js';
import { subtractWorkingDays } from '../cases/clock.js';
import { nextCaseNumber } from '../cases/numbering.js';
import type { NegativeData } from '../catalog/schema.js';
import { getEntry } from '../catalog/versions.js';
import { currentItem, departmentNames, type MemberItem } from './items.js';
import { registerSubCase } from './member-cases.js';
import * as s from './schema.js';
import { loadTemplate } from './templates.js';

type Card = z.output<typeof s.projectCard>;
type ProjectRow = NonNullable<Awaited<ReturnType<typeof projectRow>>>;

function projectRow(db: Db, id: string) {
  return db
    .selectFrom('projects as p')
    .leftJoin('staff as a', 'a.id', 'p.agent_id')
    .selectAll('p')
    .select('a.display_name as agent_name')
    .where('p.id', '=', id)
    .executeTakeFirst();
}

function canReadProject(
  actor: Actor,
  p: { region_code: string; agent_id: string | null; created_by: string | null },
) {
  if (isSysAdmin(actor) || actor.type === 'system') return true;
  if (actor.type !== 'staff') return false;
  if (p.agent_id === actor.id || p.created_by === actor.id) return true;
  return regionVisible(actor, p.region_code, ['hall_admin', 'supervisor', 'proxy_agent']);
}

/** The negative list (负面清单): prohibited never registers; restricted needs the named approval first. */
async function checkNegativeList(db: Db, input: z.output<typeof s.projectInput>): Promise<void> {
  if (!input.negativeCode) return;
  let data: NegativeData;
  try {
    data = (await getEntry(db, null, 'negative', input.negativeCode, 'current')).data as NegativeData;
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND')
      throw fieldError('negativeCode', 'exists', 'rule.exists', { what: input.negativeCode });
    throw err;
  }
  if (data.category === 'prohibited')
    throw fieldError('negativeCode', 'prohibited', 'rule.negativeProhibited', { value: data.name });
  if (!input.restrictionApproval)
    throw fieldError('restrictionApproval', 'required', 'rule.negativeRestricted', { value: data.measures });
}

/**
 * 倒排计时: stages run one after another, the approvals of one stage in parallel. The last stage must end the
 * working day before the target start; each earlier stage ends the working day before the next one starts,
 * and starts as many working days earlier as its longest approval promises.
 */
export function reverseSchedule(
  calendar: Parameters<typeof subtractWorkingDays>[0],
  targetStart: string,
  approvals: { stage: string; limitDays: number }[],
): { plannedStart: string; plannedDue: string }[] {
  const stages = [...new Set(approvals.map((a) => a.stage))];
  const window = new Map<string, { start: string; due: string }>();
  let next = targetStart;
  for (const stage of [...stages].reverse()) {
    const due = subtractWorkingDays(calendar, next, 1);
    const longest = Math.max(1, ...approvals.filter((a) => a.stage === stage).map((a) => a.limitDays));
    const start = subtractWorkingDays(calendar, due, longest);
    window.set(stage, { start, due });
    next = start;
  }
  return approvals.map((a) => {
    const w = window.get(a.stage) as { start: string; due: string };
    return { plannedStart: w.start, plannedDue: w.due };
  });
}

/** The approvals' items as published today; each one named at most once. */
async function resolveApprovals(
  db: Db,
  wanted: { stage: string; itemCode: string }[],
): Promise<{ items: MemberItem[]; problems: FieldError[] }> {
  const problems: FieldError[] = [];
  const items: MemberItem[] = [];
  const seen = new Set<string>();
  for (const [i, a] of wanted.entries()) {
    if (seen.has(a.itemCode)) {
      problems.push({
        field: `approvals.${i}.itemCode`,
        rule: 'unique',
        key: 'rule.jointDuplicateMember',
        params: { value: a.itemCode, other: '' },
      });
      continue;
    }
    seen.add(a.itemCode);
    const item = await currentItem(db, a.itemCode);
    if (!item)
      problems.push({
        field: `approvals.${i}.itemCode`,
        rule: 'published',
        key: 'rule.jointItemPublished',
        params: { value: a.itemCode },
      });
    else items.push(item);
  }
  return { items, problems };
}

export async function createProject(db: Db, actorIn: Actor | null, input: z.output<typeof s.projectInput>) {
  // The demo seed registers its project as the system; people need one of these roles.
  const actor: Actor =
    actorIn?.type === 'system'
      ? actorIn
      : requireRole(actorIn, ['hall_admin', 'proxy_agent', 'window_clerk']);
  if (
    actor.type !== 'system' &&
    !isSysAdmin(actor) &&
    !regionVisible(actor, input.regionCode, ['hall_admin', 'proxy_agent']) &&
    !hasRole(actor, ['window_clerk'])
  )
    throw new AppError('FORBIDDEN', 'error.forbiddenRegion');
  await checkNegativeList(db, input);
  let wanted = input.approvals;
  if (input.templateCode) {
    const { members } = await loadTemplate(db, input.templateCode).catch((err: unknown) => {
      if (err instanceof AppError && err.code === 'NOT_FOUND')
        throw fieldError('templateCode', 'exists', 'rule.exists', { what: input.templateCode ?? '' });
      throw err;
    });
    wanted = [...members.map((m) => ({ stage: m.stage ?? '审批', itemCode: m.item_code })), ...wanted];
  }
  if (wanted.length === 0) throw fieldError('approvals', 'atLeastOne', 'rule.atLeastOne');
  const { items, problems } = await resolveApprovals(db, wanted);
  const investmentFen = input.investmentYuan * 100;
  const vip = investmentFen >= s.VIP_THRESHOLD_FEN;
  let agentId = input.agentId ?? null;
  if (agentId) {
    const ok = await db
      .selectFrom('staff_roles')
      .select('staff_id')
      .where('staff_id', '=', agentId)
      .where('role', '=', 'proxy_agent')
      .executeTakeFirst();
    if (!ok) problems.push({ field: 'agentId', rule: 'role', key: 'rule.projectAgent' });
  } else if (vip) {
    // A VIP project always has a named agent: the registering agent, else the region's first one.
    if (hasRole(actor, ['proxy_agent'])) agentId = actor.id;
    else {
      const first = await db
        .selectFrom('staff_roles')
        .select('staff_id')
        .where('role', '=', 'proxy_agent')
        .orderBy('created_at')
        .executeTakeFirst();
      agentId = first?.staff_id ?? null;
    }
  }
  if (problems.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: problems });
  const calendar = await calendarFor(db, input.regionCode);
  const rows = wanted.filter((_, i) => !problems.some((p) => p.field.startsWith(`approvals.${i}.`)));
  const plan = reverseSchedule(
    calendar,
    input.targetStartOn,
    rows.map((a, i) => ({ stage: a.stage, limitDays: items[i]?.data.promisedLimitDays ?? 0 })),
  );
  const id = newId();
  const code = `XM${await nextCaseNumber(db, input.regionCode, civilDate(now()))}`;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('projects')
      .values({
        id,
        code,
        name: input.name,
        investor: input.investor,
        investment_fen: investmentFen,
        location: input.location,
        industry: input.industry,
        region_code: input.regionCode,
        vip,
        green_channel: vip,
        agent_id: agentId,
        negative_code: input.negativeCode ?? null,
        restriction_approval: input.restrictionApproval ?? null,
        target_start_on: input.targetStartOn,
        status: 'active',
        created_by: actor.type === 'staff' ? actor.id : null,
      })
      .execute();
    await trx
      .insertInto('project_approvals')
      .values(
        items.map((it, i) => ({
          id: newId(),
          project_id: id,
          position: i,
          stage: rows[i].stage,
          item_code: it.code,
          item_name: it.name,
          department_id: it.departmentId,
          limit_days: it.data.promisedLimitDays,
          planned_start: plan[i].plannedStart,
          planned_due: plan[i].plannedDue,
        })),
      )
      .execute();
    await recordAudit(trx, actor, {
      action: 'project.create',
      targetType: 'project',
      targetId: id,
      regionCode: input.regionCode,
      after: {
        code,
        name: input.name,
        vip,
        agentId,
        approvals: items.length,
        targetStartOn: input.targetStartOn,
      },
    });
  });
  return getProject(db, actor, id);
}

const DONE_CASE = ['completed', 'delivered'];
const DONE_JOINT = ['completed', 'delivered', 'stopped'];

export async function getProject(db: Db, actorIn: Actor | null, id: string): Promise<Card> {
  const actor: Actor =
    actorIn?.type === 'system'
      ? actorIn
      : requireRole(actorIn, ['hall_admin', 'proxy_agent', 'window_clerk', 'supervisor']);
  const p = await projectRow(db, id);
  if (!p) throw notFound('what.project');
  if (!canReadProject(actor, p)) throw new AppError('FORBIDDEN', 'error.forbiddenRegion');
  const approvals = await db
    .selectFrom('project_approvals as a')
    .leftJoin('cases as c', 'c.id', 'a.case_id')
    .leftJoin('joint_cases as j', 'j.id', 'a.joint_case_id')
    .selectAll('a')
    .select([
      'c.number as case_number',
      'c.status as case_status',
      'c.completed_at as case_completed_at',
      'j.number as joint_number',
      'j.status as joint_status',
      'j.completed_at as joint_completed_at',
    ])
    .where('a.project_id', '=', id)
    .orderBy('a.position')
    .execute();
  const notes = await db
    .selectFrom('project_notes')
    .selectAll()
    .where('project_id', '=', id)
    .orderBy('at', 'desc')
    .execute();
  const names = await departmentNames(
    db,
    approvals.map((a) => a.department_id),
  );
  const day = today();
  const card = approvals.map((a) => {
    const status = a.joint_status ?? a.case_status ?? null;
    const done = a.joint_status
      ? DONE_JOINT.includes(a.joint_status)
      : a.case_status
        ? DONE_CASE.includes(a.case_status)
        : false;
    const finished = a.joint_completed_at ?? a.case_completed_at ?? null;
    const filed = !!(a.case_id || a.joint_case_id);
    const progress: Card['approvals'][number]['progress'] = done
      ? finished && civilDate(finished) > a.planned_due
        ? 'done_late'
        : 'done'
      : day > a.planned_due || (!filed && day > a.planned_start)
        ? 'late'
        : filed
          ? 'on_track'
          : 'not_started';
    return {
      id: a.id,
      stage: a.stage,
      itemCode: a.item_code,
      itemName: a.item_name,
      departmentName: names.get(a.department_id) ?? '',
      limitDays: a.limit_days,
      plannedStart: a.planned_start,
      plannedDue: a.planned_due,
      caseId: a.case_id,
      jointCaseId: a.joint_case_id,
      caseNumber: a.joint_number ?? a.case_number ?? null,
      caseStatus: status,
      done,
      progress,
    };
  });
  return {
    ...summary(p, card),
    negativeCode: p.negative_code,
    restrictionApproval: p.restriction_approval,
    approvals: card,
    notes: notes.map((n) => ({
      id: n.id,
      at: n.at.toISOString(),
      authorName: n.author_name,
      channel: n.channel,
      content: n.content,
    })),
  };
}

function summary(p: ProjectRow, card: { done: boolean; progress: string }[]) {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    investor: p.investor,
    investmentYuan: Number(p.investment_fen) / 100,
    location: p.location,
    industry: p.industry,
    regionCode: p.region_code,
    vip: p.vip,
    greenChannel: p.green_channel,
    agentId: p.agent_id,
    agentName: p.agent_name,
    targetStartOn: p.target_start_on,
    status: p.status,
    approvalsTotal: card.length,
    approvalsDone: card.filter((a) => a.done).length,
    approvalsLate: card.filter((a) => a.progress === 'late' || a.progress === 'done_late').length,
    version: p.version,
  };
}

export async function listProjects(db: Db, actorIn: Actor | null, query: z.output<typeof s.projectList>) {
  const actor = requireRole(actorIn, ['hall_admin', 'proxy_agent', 'window_clerk', 'supervisor']);
  let qb = db.selectFrom('projects').select('id');
  if (query.scope === 'mine') qb = qb.where('agent_id', '=', actor.id);
  if (query.vip) qb = qb.where('vip', '=', query.vip === 'true');
  const rows = await qb.orderBy('created_at', 'desc').execute();
  const items: z.output<typeof s.projectSummary>[] = [];
  for (const r of rows) {
    const p = (await projectRow(db, r.id)) as ProjectRow;
    if (!canReadProject(actor, p)) continue;
    const card = await getProject(db, actor, r.id);
    items.push(summary(p, card.approvals));
  }
  const page = items.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
  return { items: page, total: items.length, page: query.page, pageSize: query.pageSize };
}

async function writableProject(db: Db, actorIn: Actor | null, id: string) {
  const actor = requireRole(actorIn, ['hall_admin', 'proxy_agent']);
  const p = await projectRow(db, id);
  if (!p) throw notFound('what.project');
  if (!isSysAdmin(actor) && p.agent_id !== actor.id && !regionVisible(actor, p.region_code, ['hall_admin']))
    throw new AppError('FORBIDDEN', 'error.forbidden');
  return { actor, p };
}

export async function addNote(
  db: Db,
  actorIn: Actor | null,
  id: string,
  input: z.output<typeof s.noteInput>,
) {
  const { actor, p } = await writableProject(db, actorIn, id);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('project_notes')
      .values({
        id: newId(),
        project_id: id,
        author_id: actor.id,
        author_name: actor.displayName,
        channel: input.channel,
        content: input.content,
      })
      .execute();
    await recordAudit(trx, actor, {
      action: 'project.note',
      targetType: 'project',
      targetId: id,
      regionCode: p.region_code,
      after: { channel: input.channel },
    });
  });
  return getProject(db, actor, id);
}

export async function linkApproval(
  db: Db,
  actorIn: Actor | null,
  id: string,
  approvalId: string,
  number: string,
) {
  const { actor, p } = await writableProject(db, actorIn, id);
  const a = await db
    .selectFrom('project_approvals')
    .selectAll()
    .where('id', '=', approvalId)
    .where('project_id', '=', id)
    .executeTakeFirst();
  if (!a) throw notFound('what.projectApproval');
  const joint = number.startsWith('LB')
    ? await db.selectFrom('joint_cases').select(['id']).where('number', '=', number).executeTakeFirst()
    : undefined;
  const single = joint
    ? undefined
    : await db
        .selectFrom('cases')
        .select(['id', 'item_code'])
        .where('number', '=', number)
        .executeTakeFirst();
  if (!joint && !single) throw fieldError('number', 'exists', 'rule.exists', { what: number });
  if (single && single.item_code !== a.item_code)
    throw fieldError('number', 'sameItem', 'rule.projectSameItem', { value: a.item_name });
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('project_approvals')
      .set({ case_id: single?.id ?? null, joint_case_id: joint?.id ?? null, filed_at: now() })
      .where('id', '=', approvalId)
      .execute();
    await recordAudit(trx, actor, {
      action: 'project.link',
      targetType: 'project',
      targetId: id,
      regionCode: p.region_code,
      after: { approval: a.item_code, number },
    });
  });
  return getProject(db, actor, id);
}

/**
 * Change the target start or the approvals the card tracks, and compute the reverse-scheduled plan again
 * (倒排计时). Approvals kept keep their filed case; one already filed cannot be taken out. One transaction,
 * guarded by the project's version.
 */
export async function changePlan(
  db: Db,
  actorIn: Actor | null,
  id: string,
  input: z.output<typeof s.planInput>,
) {
  const { actor, p } = await writableProject(db, actorIn, id);
  if (p.version !== input.version) throw new AppError('VERSION_CONFLICT', 'error.conflict');
  const current = await db
    .selectFrom('project_approvals')
    .selectAll()
    .where('project_id', '=', id)
    .orderBy('position')
    .execute();
  const wanted = input.approvals ?? current.map((a) => ({ stage: a.stage, itemCode: a.item_code }));
  const { items, problems } = await resolveApprovals(db, wanted);
  const keep = new Set(wanted.map((a) => a.itemCode));
  for (const a of current)
    if ((a.case_id || a.joint_case_id) && !keep.has(a.item_code))
      problems.push({
        field: 'approvals',
        rule: 'filed',
        key: 'rule.projectApprovalFiled',
        params: { value: a.item_name },
      });
  if (problems.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: problems });
  const targetStartOn = input.targetStartOn ?? p.target_start_on;
  const calendar = await calendarFor(db, p.region_code);
  const plan = reverseSchedule(
    calendar,
    targetStartOn,
    wanted.map((a, i) => ({ stage: a.stage, limitDays: items[i].data.promisedLimitDays })),
  );
  const byCode = new Map(current.map((a) => [a.item_code, a]));
  await db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('projects')
      .set({ target_start_on: targetStartOn, version: input.version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', 'error.conflict');
    const gone = current.filter((a) => !keep.has(a.item_code)).map((a) => a.id);
    if (gone.length) await trx.deleteFrom('project_approvals').where('id', 'in', gone).execute();
    // Positions are unique per project: move the kept rows out of the way before numbering them again.
    await trx
      .updateTable('project_approvals')
      .set((eb) => ({ position: eb('position', '+', 10_000) }))
      .where('project_id', '=', id)
      .execute();
    for (const [i, it] of items.entries()) {
      const have = byCode.get(it.code);
      const row = {
        position: i,
        stage: wanted[i].stage,
        limit_days: it.data.promisedLimitDays,
        planned_start: plan[i].plannedStart,
        planned_due: plan[i].plannedDue,
      };
      if (have) await trx.updateTable('project_approvals').set(row).where('id', '=', have.id).execute();
      else
        await trx
          .insertInto('project_approvals')
          .values({
            ...row,
            id: newId(),
            project_id: id,
            item_code: it.code,
            item_name: it.name,
            department_id: it.departmentId,
          })
          .execute();
    }
    await recordAudit(trx, actor, {
      action: 'project.plan',
      targetType: 'project',
      targetId: id,
      regionCode: p.region_code,
      before: { targetStartOn: p.target_start_on, approvals: current.map((a) => a.item_code) },
      after: { targetStartOn, approvals: items.map((x) => x.code) },
    });
  });
  return getProject(db, actor, id);
}

/**
 * File the case of one approval on the project's behalf (代办): the case is registered (统一发号, with the
 * item's materials to hand in on its page) and linked to the card in one transaction, so there is never a
 * case the card does not know or a link to nothing.
 */
export async function fileApproval(
  db: Db,
  actorIn: Actor | null,
  id: string,
  approvalId: string,
  input: z.output<typeof s.fileApprovalInput>,
) {
  const { actor, p } = await writableProject(db, actorIn, id);
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN', 'error.forbidden');
  const a = await db
    .selectFrom('project_approvals')
    .selectAll()
    .where('id', '=', approvalId)
    .where('project_id', '=', id)
    .executeTakeFirst();
  if (!a) throw notFound('what.projectApproval');
  if (a.case_id || a.joint_case_id)
    throw new AppError('CONFLICT', 'error.actionNotAllowed', { action: 'file', status: 'filed' });
  const item = await currentItem(db, a.item_code);
  if (!item) throw fieldError('approvalId', 'published', 'rule.jointItemPublished', { value: a.item_code });
  if (!item.data.serviceObjects.includes(input.applicant.kind))
    throw fieldError('applicant.kind', 'serviceObject', 'rule.serviceObject', {
      value: input.applicant.kind,
    });
  const proxy = hasRole(actor, ['proxy_agent']);
  const account = await db
    .selectFrom('applicants')
    .select('id')
    .where(
      input.applicant.kind === 'person' ? 'id_number' : 'uscc',
      '=',
      (input.applicant.kind === 'person' ? input.applicant.idNumber : input.applicant.uscc) ?? '#',
    )
    .executeTakeFirst();
  const caseId = newId();
  const number = await nextCaseNumber(db, item.regionCode, today());
  await db.transaction().execute(async (trx) => {
    await registerSubCase(trx, actor, {
      id: caseId,
      number,
      item,
      regionCode: item.regionCode,
      channel: proxy ? 'proxy' : 'window',
      applicant: {
        account: account?.id ?? null,
        kind: input.applicant.kind,
        name: input.applicant.name,
        idNumber: input.applicant.idNumber ?? null,
        uscc: input.applicant.uscc ?? null,
        mobile: input.applicant.mobile,
        locale: 'zh-CN',
      },
      registeredBy: actor.id,
      proxyAgentId: proxy ? actor.id : null,
      form: { 项目名称: p.name, ...input.form },
      provided: new Map(),
      origin: { projectCode: p.code },
    });
    const res = await trx
      .updateTable('project_approvals')
      .set({ case_id: caseId, filed_at: now() })
      .where('id', '=', approvalId)
      .where('case_id', 'is', null)
      .where('joint_case_id', 'is', null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', 'error.conflict');
    await recordAudit(trx, actor, {
      action: 'project.file',
      targetType: 'project',
      targetId: id,
      regionCode: p.region_code,
      after: { approval: a.item_code, number },
    });
  });
  return getProject(db, actor, id);
}
