import './notices.js';
import type { ExpressionBuilder, Transaction, Updateable } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { JointCasesTable } from '../../db/joint-types.js';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { civilDate, now, today } from '../../platform/clock.js';
import { AppError, type FieldError, fieldError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { maskName } from '../../platform/mask.js';
import { enqueueEvent, type Recipient } from '../../platform/outbox.js';
import { hasRole, isSysAdmin, ownDepartments, requireActor } from '../../platform/policy.js';
import { authorise } from '../access/service.js';
import { calendarFor } from '../calendar/service.js';
import {
  accountApplicant,
  applicantColumns,
  type CaseApplicant,
  filedApplicant,
} from '../cases/applicant.js';
import { endOfDay } from '../cases/clock.js';
import { nextCaseNumber } from '../cases/numbering.js';
import {
  type CaseCtx,
  type PreparedCaseAction,
  prepareCaseAct,
  prepareSystemAct,
  recordFile,
} from '../cases/service.js';
import type { CaseStatus } from '../cases/state-machine.js';
import { currentItem, departmentNames, type MemberItem } from './items.js';
import { registerSubCase } from './member-cases.js';
import type { JointPayload } from './notices.js';
import { canReadJoint, isLeadStaff, type JointScope } from './policy.js';
import type * as s from './schema.js';
import { loadTemplate } from './templates.js';

type Detail = z.output<typeof s.jointDetail>;
type Summary = z.output<typeof s.jointSummary>;
type JointRow = NonNullable<Awaited<ReturnType<typeof jointRow>>>;
type FormField = Detail['formFields'][number];
type CorrectionItem = Detail['corrections'][number]['items'][number];

/** Statuses in which a member has its result (or will never get one). */
const DONE: readonly string[] = ['completed', 'delivered', 'refused', 'withdrawn', 'terminated'];
const OPEN_JOINT = ['submitted', 'accepted', 'correcting'];

function jointRow(db: Db | Transaction<Database>, id: string) {
  return db
    .selectFrom('joint_cases as j')
    .innerJoin('departments as d', 'd.id', 'j.lead_department_id')
    .selectAll('j')
    .select('d.name as lead_department_name')
    .where('j.id', '=', id)
    .executeTakeFirst();
}

async function jointOrThrow(db: Db, id: string) {
  const j = await jointRow(db, id);
  if (!j) throw notFound('what.jointCase');
  return j;
}

function memberCases(db: Db | Transaction<Database>, jointId: string) {
  return db
    .selectFrom('joint_case_members as m')
    .innerJoin('cases as c', 'c.id', 'm.case_id')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .leftJoin('staff as st', 'st.id', 'c.assignee_id')
    .select([
      'm.position',
      'm.case_id',
      'm.item_code',
      'm.promised_days',
      'c.number',
      'c.item_name',
      'c.department_id',
      'c.status',
      'c.step_name',
      'c.step_role',
      'c.promised_due',
      'c.promised_due_at',
      'c.decision',
      'c.version',
      'c.accepted_on',
      'c.completed_at',
      'c.region_code',
      'd.name as department_name',
      'st.display_name as assignee_name',
    ])
    .where('m.joint_case_id', '=', jointId)
    .orderBy('m.position')
    .execute();
}
type MemberRow = Awaited<ReturnType<typeof memberCases>>[number];

function scopeOf(j: JointRow, members: { department_id: string }[]): JointScope {
  return {
    leadDepartmentId: j.lead_department_id,
    memberDepartmentIds: members.map((m) => m.department_id),
    regionCode: j.region_code,
    applicantAccountId: j.applicant_account_id,
    registeredBy: j.registered_by,
    proxyAgentId: j.proxy_agent_id,
  };
}

async function assertRead(db: Db, actor: Actor, j: JointRow): Promise<MemberRow[]> {
  const members = await memberCases(db, j.id);
  if (!canReadJoint(actor, scopeOf(j, members))) throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
  return members;
}

function applicantRecipient(j: JointRow): Recipient[] {
  return [
    {
      ...(j.applicant_account_id
        ? { account: { type: 'applicant' as const, id: j.applicant_account_id } }
        : {}),
      mobile: j.applicant_mobile,
      locale: j.applicant_locale === 'en-US' ? 'en-US' : 'zh-CN',
    },
  ];
}

/** Staff of the given departments who act on cases (抄告相关, 督办): in-app messages only. */
async function departmentStaff(
  db: Db | Transaction<Database>,
  departmentIds: string[],
): Promise<Recipient[]> {
  if (departmentIds.length === 0) return [];
  const rows = await db
    .selectFrom('staff_roles')
    .select('staff_id')
    .distinct()
    .where('department_id', 'in', departmentIds)
    .where('role', 'in', ['window_clerk', 'reviewer', 'approver'])
    .execute();
  return rows.map((r) => ({
    account: { type: 'staff' as const, id: r.staff_id },
    channels: ['inapp' as const],
  }));
}

async function jointEvent(
  trx: Transaction<Database>,
  j: JointRow,
  actor: Actor,
  action: string,
  extra: { caseId?: string; departmentId?: string; reason?: string | null } = {},
): Promise<void> {
  await trx
    .insertInto('joint_events')
    .values({
      id: newId(),
      joint_case_id: j.id,
      region_code: j.region_code,
      action,
      actor_type: actor.type,
      actor_id: actor.id,
      actor_name: actor.displayName,
      case_id: extra.caseId ?? null,
      department_id: extra.departmentId ?? null,
      reason: extra.reason ?? null,
    })
    .execute();
}

/** The optimistic write of the joint row: a lost race is a 409 and the transaction rolls back. */
async function updateJoint(
  trx: Transaction<Database>,
  j: JointRow,
  expected: { version: number; status: string },
  set: Updateable<JointCasesTable>,
): Promise<void> {
  const res = await trx
    .updateTable('joint_cases')
    .set({ ...set, version: expected.version + 1, updated_at: new Date() })
    .where('id', '=', j.id)
    .where('version', '=', expected.version)
    .where('status', '=', expected.status)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', 'error.conflict');
}

function payload(j: JointRow, extra: Partial<JointPayload> = {}): JointPayload {
  return { jointCaseId: j.id, number: j.number, name: j.template_name, ...extra };
}

function notAllowed(status: string, action: string): AppError {
  return new AppError('CONFLICT', 'error.actionNotAllowed', { action, status });
}

// Applying once ----------------------------------------------------------------------------------------

/**
 * Start a joint application (or a service package) from a published template: one row with its own
 * number, the merged form and the one material set. Sub-cases are registered when it is submitted.
 */
export async function createJoint(
  ctx: CaseCtx,
  actorIn: Actor | null,
  input: z.output<typeof s.createJoint>,
) {
  const actor = requireActor(actorIn);
  const { row: t } = await loadTemplate(ctx.db, input.templateCode).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND')
      throw fieldError('templateCode', 'exists', 'rule.exists', { what: input.templateCode });
    throw err;
  });
  if (t.status !== 'published') throw fieldError('templateCode', 'published', 'rule.jointTemplatePublished');
  let channel = input.channel;
  let applicant: CaseApplicant;
  let registeredBy: string | null = null;
  let proxyAgentId: string | null = null;
  if (actor.type === 'applicant') {
    channel = 'online';
    applicant = await accountApplicant(ctx.db, actor.id);
  } else if (actor.type === 'staff') {
    if (!input.applicant) throw fieldError('applicant', 'required', 'rule.required');
    if (channel === 'proxy') {
      if (!hasRole(actor, ['proxy_agent']))
        throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'proxy_agent' });
      proxyAgentId = actor.id;
    } else {
      channel = 'window';
      if (!hasRole(actor, ['window_clerk']))
        throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'window_clerk' });
    }
    registeredBy = actor.id;
    applicant = await filedApplicant(ctx.db, input.applicant);
  } else {
    throw new AppError('FORBIDDEN', 'error.forbidden');
  }
  const members = await ctx.db
    .selectFrom('joint_template_members')
    .select(['item_code', 'promised_days'])
    .where('template_id', '=', t.id)
    .execute();
  const known = new Set((t.form_fields as FormField[]).map((f) => f.key));
  const unknown = Object.keys(input.form).filter((k) => !known.has(k));
  if (unknown.length)
    throw new AppError(
      'VALIDATION',
      'error.validation',
      {},
      {
        fields: unknown.map((k) => ({ field: `form.${k}`, rule: 'unknownKey', key: 'rule.unknownKey' })),
      },
    );
  let projectId: string | null = null;
  if (input.projectApprovalId) {
    const pa = await ctx.db
      .selectFrom('project_approvals')
      .select(['project_id'])
      .where('id', '=', input.projectApprovalId)
      .executeTakeFirst();
    if (!pa)
      throw fieldError('projectApprovalId', 'exists', 'rule.exists', { what: input.projectApprovalId });
    projectId = pa.project_id;
  }
  const at = now();
  const id = newId(at.getTime());
  const number = `LB${await nextCaseNumber(ctx.db, t.region_code, civilDate(at))}`;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('joint_cases')
      .values({
        id,
        number,
        template_id: t.id,
        template_code: t.code,
        template_name: t.name,
        mode: t.mode,
        region_code: t.region_code,
        lead_department_id: t.lead_department_id,
        channel,
        status: 'draft',
        ...applicantColumns(applicant),
        registered_by: registeredBy,
        proxy_agent_id: proxyAgentId,
        project_id: projectId,
        form: JSON.stringify(input.form),
        promised_days: t.promised_days,
        sequential_limit_days: members.reduce((n, m) => n + m.promised_days, 0),
      })
      .execute();
    const mats = t.materials as { name: string; required: boolean; itemCodes: string[] }[];
    if (mats.length)
      await trx
        .insertInto('joint_materials')
        .values(
          mats.map((m, i) => ({
            id: newId(),
            joint_case_id: id,
            position: i,
            name: m.name,
            required: m.required,
            item_codes: JSON.stringify(m.itemCodes),
            status: 'missing' as const,
          })),
        )
        .execute();
    if (input.projectApprovalId)
      await trx
        .updateTable('project_approvals')
        .set({ joint_case_id: id, filed_at: at })
        .where('id', '=', input.projectApprovalId)
        .execute();
    const j = (await jointRow(trx, id)) as JointRow;
    await jointEvent(trx, j, actor, 'register');
    await recordAudit(trx, actor, {
      action: 'joint.register',
      targetType: 'joint_case',
      targetId: id,
      regionCode: t.region_code,
      after: { number, template: t.code, channel, applicant: maskName(applicant.name) },
    });
  });
  return getJoint(ctx, actor, id);
}

/** Hand in one material of the joint set (once, for every member that needs it). */
export async function attachJointMaterial(
  ctx: CaseCtx,
  actorIn: Actor | null,
  id: string,
  materialId: string,
  file: { sha256: string; name: string; kind: string; size: number; mime: string },
) {
  const actor = requireActor(actorIn);
  const j = await jointOrThrow(ctx.db, id);
  await assertRead(ctx.db, actor, j);
  if (!isApplicantSide(actor, j)) throw new AppError('FORBIDDEN', 'error.forbidden');
  if (j.status !== 'draft' && j.status !== 'correcting') throw notAllowed(j.status, 'attachMaterial');
  await ctx.db.transaction().execute(async (trx) => {
    const m = await trx
      .selectFrom('joint_materials')
      .selectAll()
      .where('id', '=', materialId)
      .where('joint_case_id', '=', id)
      .executeTakeFirst();
    if (!m) throw notFound('what.material');
    if (j.status === 'correcting' && m.status !== 'deficient') throw notAllowed(j.status, 'attachMaterial');
    await recordFile(trx, file, file.mime, file.kind);
    await trx
      .updateTable('joint_materials')
      .set({
        status: 'provided',
        file_sha256: file.sha256,
        file_name: file.name,
        supplied_at: new Date(),
        updated_at: new Date(),
        // The member's note stays until the round is supplied, so the applicant sees what was asked.
        note: j.status === 'correcting' ? m.note : null,
      })
      .where('id', '=', m.id)
      .execute();
    if (actor.type === 'applicant') {
      await trx
        .insertInto('applicant_materials')
        .values({
          id: newId(),
          applicant_id: actor.id,
          name: m.name,
          file_sha256: file.sha256,
          file_name: file.name,
          kind: file.kind,
          size: file.size,
        })
        .onConflict((oc) => oc.columns(['applicant_id', 'file_sha256', 'name']).doNothing())
        .execute();
    }
    await recordAudit(trx, actor, {
      action: 'joint.material',
      targetType: 'joint_case',
      targetId: id,
      regionCode: j.region_code,
      after: { material: m.name, sha256: file.sha256 },
    });
  });
  return getJoint(ctx, actor, id);
}

function isApplicantSide(actor: Actor, j: JointRow): boolean {
  if (actor.type === 'applicant') return j.applicant_account_id === actor.id;
  if (actor.type === 'staff') return j.registered_by === actor.id || j.proxy_agent_id === actor.id;
  return false;
}

/**
 * Submit the one application: the one form and material set are complete, and one sub-case per member is
 * registered in the same transaction (统一发号 for each), with the materials handed in once.
 */
export async function submitJoint(ctx: CaseCtx, actorIn: Actor | null, id: string, version: number) {
  const actor = requireActor(actorIn);
  const j = await jointOrThrow(ctx.db, id);
  await assertRead(ctx.db, actor, j);
  if (!isApplicantSide(actor, j)) throw new AppError('FORBIDDEN', 'error.forbidden');
  if (j.status !== 'draft') throw notAllowed(j.status, 'submit');
  if (j.version !== version) throw new AppError('VERSION_CONFLICT', 'error.conflict');
  const { row: t, members } = await loadTemplate(ctx.db, j.template_id);
  const form = j.form as Record<string, string>;
  const fields = t.form_fields as FormField[];
  const mats = await ctx.db
    .selectFrom('joint_materials')
    .selectAll()
    .where('joint_case_id', '=', id)
    .orderBy('position')
    .execute();
  const problems: FieldError[] = [];
  for (const f of fields)
    if (f.required && !form[f.key]?.trim())
      problems.push({ field: `form.${f.key}`, rule: 'required', key: 'rule.required' });
  for (const m of mats)
    if (m.required && m.status !== 'provided')
      problems.push({
        field: `materials.${m.position}`,
        rule: 'required',
        key: 'rule.materialMissing',
        params: { name: m.name },
      });
  const items: MemberItem[] = [];
  for (const [i, m] of members.entries()) {
    const item = await currentItem(ctx.db, m.item_code);
    if (!item) {
      problems.push({
        field: `members.${i}`,
        rule: 'published',
        key: 'rule.jointItemPublished',
        params: { value: m.item_code },
      });
      continue;
    }
    if (!item.data.serviceObjects.includes(j.applicant_kind))
      problems.push({
        field: 'applicant.kind',
        rule: 'serviceObject',
        key: 'rule.serviceObject',
        params: { value: j.applicant_kind },
      });
    items.push(item);
  }
  if (problems.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: problems });
  const provided = new Map(
    mats
      .filter((m) => m.status === 'provided' && m.file_sha256)
      .map((m) => [m.name, { sha256: m.file_sha256 as string, fileName: m.file_name ?? m.name }]),
  );
  const day = today();
  const numbers: string[] = [];
  for (const item of items) numbers.push(await nextCaseNumber(ctx.db, item.regionCode, day));
  await ctx.db.transaction().execute(async (trx) => {
    await updateJoint(trx, j, { version, status: 'draft' }, { status: 'submitted', submitted_at: now() });
    for (const [i, item] of items.entries()) {
      const caseId = newId();
      const subForm: Record<string, string> = {};
      for (const f of fields)
        for (const mp of f.maps)
          if (mp.itemCode === item.code && form[f.key] !== undefined) subForm[mp.field] = form[f.key];
      await registerSubCase(trx, actor, {
        id: caseId,
        number: numbers[i],
        item,
        regionCode: item.regionCode,
        channel: j.channel,
        applicant: {
          account: j.applicant_account_id,
          kind: j.applicant_kind,
          name: j.applicant_name,
          idNumber: j.applicant_id_number,
          uscc: j.applicant_uscc,
          mobile: j.applicant_mobile,
          locale: j.applicant_locale,
        },
        registeredBy: j.registered_by,
        proxyAgentId: j.proxy_agent_id,
        form: subForm,
        provided,
        origin: { jointNumber: j.number },
      });
      await trx
        .insertInto('joint_case_members')
        .values({
          joint_case_id: id,
          position: i,
          case_id: caseId,
          item_code: item.code,
          department_id: item.departmentId,
          promised_days: item.data.promisedLimitDays,
        })
        .execute();
    }
    await trx
      .updateTable('joint_cases')
      .set({ sequential_limit_days: items.reduce((n, x) => n + x.data.promisedLimitDays, 0) })
      .where('id', '=', id)
      .execute();
    await jointEvent(trx, j, actor, 'submit');
    await recordAudit(trx, actor, {
      action: 'joint.submit',
      targetType: 'joint_case',
      targetId: id,
      regionCode: j.region_code,
      before: { status: 'draft', version },
      after: { status: 'submitted', members: items.map((x) => x.code) },
    });
    await enqueueEvent(trx, {
      type: 'joint.submitted',
      aggregateType: 'joint_case',
      aggregateId: id,
      regionCode: j.region_code,
      payload: payload(j),
      recipients: applicantRecipient(j),
    });
    if (j.mode === 'package') {
      // A package has no joint acceptance: each department's window sees its sub-case in its inbox now.
      await enqueueEvent(trx, {
        type: 'joint.notified',
        aggregateType: 'joint_case',
        aggregateId: id,
        regionCode: j.region_code,
        payload: payload(j),
        recipients: await departmentStaff(
          trx,
          items.map((x) => x.departmentId),
        ),
      });
    }
  });
  return getJoint(ctx, actor, id);
}

// The first window (首问启动, 抄告相关) ------------------------------------------------------------------

function mayActAsFirstWindow(actor: Actor, j: JointRow, members: MemberRow[]): boolean {
  if (isSysAdmin(actor)) return true;
  if (!hasRole(actor, ['window_clerk'])) return false;
  const own = ownDepartments(actor);
  return own.includes(j.lead_department_id) || members.some((m) => own.includes(m.department_id));
}

/**
 * Accept once at the first window: every sub-case is accepted at the same moment on its behalf (each gets
 * its own deadline from its item), the joint deadline starts from today, the applicant is told once and every
 * member department is copied (抄告相关). One transaction: if any sub-case cannot be accepted (a lost race,
 * a material missing) nothing is accepted.
 */
export async function acceptJoint(ctx: CaseCtx, actorIn: Actor | null, id: string, version: number) {
  const actor = requireActor(actorIn);
  const j = await jointOrThrow(ctx.db, id);
  const members = await assertRead(ctx.db, actor, j);
  if (j.mode !== 'joint') throw notAllowed(`${j.mode}/${j.status}`, 'accept');
  if (j.status !== 'submitted') throw notAllowed(j.status, 'accept');
  if (j.version !== version) throw new AppError('VERSION_CONFLICT', 'error.conflict');
  if (!mayActAsFirstWindow(actor, j, members))
    throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'window_clerk' });
  const onBehalfOf = `${actor.displayName}(并联审批首问窗口)`;
  const writes: PreparedCaseAction[] = [];
  for (const m of members.filter((x) => x.status === 'registered'))
    writes.push(
      await prepareSystemAct(ctx, m.case_id, 'accept', `并联审批 ${j.number} 统一受理`, { onBehalfOf }),
    );
  const calendar = await calendarFor(ctx.db, j.region_code);
  const day = today();
  const due = calendar.addWorkingDays(day, j.promised_days);
  await ctx.db.transaction().execute(async (trx) => {
    for (const write of writes) await write(trx);
    await updateJoint(
      trx,
      j,
      { version, status: 'submitted' },
      {
        status: 'accepted',
        accepted_at: now(),
        accepted_by: actor.type === 'staff' ? actor.id : null,
        accepted_on: day,
        promised_due: due.date,
        promised_due_at: endOfDay(due.date),
        due_provisional: due.provisional,
      },
    );
    await jointEvent(trx, j, actor, 'accept', {
      reason: `限时办结 ${j.promised_days} 个工作日,至 ${due.date}`,
    });
    await recordAudit(trx, actor, {
      action: 'joint.accept',
      targetType: 'joint_case',
      targetId: id,
      regionCode: j.region_code,
      before: { status: 'submitted', version },
      after: { status: 'accepted', promisedDue: due.date, members: members.length },
    });
    await enqueueEvent(trx, {
      type: 'joint.accepted',
      aggregateType: 'joint_case',
      aggregateId: id,
      regionCode: j.region_code,
      payload: payload(j, { promisedDue: due.date }),
      recipients: applicantRecipient(j),
    });
    await enqueueEvent(trx, {
      type: 'joint.notified',
      aggregateType: 'joint_case',
      aggregateId: id,
      regionCode: j.region_code,
      payload: payload(j, { promisedDue: due.date }),
      recipients: await departmentStaff(trx, [...new Set(members.map((m) => m.department_id))]),
    });
  });
  return getJoint(ctx, actor, id);
}

// Combined corrections (一次性告知 across members) -------------------------------------------------------

/**
 * A member department asks for corrections on its sub-case: the sub-case pauses (its clock stops) and the
 * requests join the joint case's open correction round, which the applicant sees as one notice listing every
 * member's requests.
 */
export async function requestJointCorrection(
  ctx: CaseCtx,
  actorIn: Actor | null,
  id: string,
  body: z.output<typeof s.correctionBody>,
) {
  const actor = requireActor(actorIn);
  const j = await jointOrThrow(ctx.db, id);
  const members = await assertRead(ctx.db, actor, j);
  if (j.status !== 'accepted' && j.status !== 'correcting') throw notAllowed(j.status, 'requestCorrection');
  const member = members.find((m) => m.case_id === body.caseId);
  if (!member) throw fieldError('caseId', 'member', 'rule.jointNotMember');
  if (actor.type !== 'staff' || !ownDepartments(actor).includes(member.department_id))
    throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
  const mats = await ctx.db
    .selectFrom('joint_materials')
    .selectAll()
    .where('joint_case_id', '=', id)
    .execute();
  const problems: FieldError[] = [];
  body.corrections.forEach((x, i) => {
    const m = mats.find((y) => y.name === x.material);
    if (!m || !(m.item_codes as string[]).includes(member.item_code))
      problems.push({
        field: `corrections.${i}.material`,
        rule: 'memberMaterial',
        key: 'rule.jointMaterialOfMember',
        params: { value: x.material },
      });
  });
  if (problems.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: problems });
  await authorise(ctx.db, {
    staffId: actor.id,
    departmentId: member.department_id,
    action: 'review',
    itemCode: member.item_code,
  });
  const lines = body.corrections.map((x) => `${x.material}:${x.problem}`);
  // The sub-case pauses through the cases module (its letter check, timeline, notice) in the same
  // transaction as the joint round: a paused sub-case without its round, or the reverse, never exists.
  const pause = await prepareCaseAct(ctx, actor, member.case_id, 'suspend', {
    version: body.version,
    suspensionKind: 'suspension',
    reason: `补正材料(并联审批 ${j.number} 一次性告知):${lines.join(';')}`,
  });
  await ctx.db.transaction().execute(async (trx) => {
    await pause(trx);
    const fresh = (await jointRow(trx, id)) as JointRow;
    const open = await trx
      .selectFrom('joint_corrections')
      .selectAll()
      .where('joint_case_id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    const added: CorrectionItem[] = body.corrections.map((x) => ({
      caseId: member.case_id,
      departmentName: member.department_name,
      itemName: member.item_name,
      material: x.material,
      problem: x.problem,
    }));
    let all: CorrectionItem[];
    if (open) {
      all = [...(open.items as CorrectionItem[]), ...added];
      await trx
        .updateTable('joint_corrections')
        .set({ items: JSON.stringify(all) })
        .where('id', '=', open.id)
        .execute();
    } else {
      const rounds = await trx
        .selectFrom('joint_corrections')
        .select('round')
        .where('joint_case_id', '=', id)
        .execute();
      all = added;
      await trx
        .insertInto('joint_corrections')
        .values({
          id: newId(),
          joint_case_id: id,
          round: rounds.length + 1,
          status: 'open',
          items: JSON.stringify(all),
        })
        .execute();
    }
    for (const x of body.corrections)
      await trx
        .updateTable('joint_materials')
        .set({ status: 'deficient', note: x.problem, updated_at: new Date() })
        .where('joint_case_id', '=', id)
        .where('name', '=', x.material)
        .execute();
    await updateJoint(trx, fresh, { version: fresh.version, status: fresh.status }, { status: 'correcting' });
    await jointEvent(trx, fresh, actor, 'requestCorrection', {
      caseId: member.case_id,
      departmentId: member.department_id,
      reason: lines.join(';'),
    });
    await recordAudit(trx, actor, {
      action: 'joint.requestCorrection',
      targetType: 'joint_case',
      targetId: id,
      regionCode: j.region_code,
      after: { caseId: member.case_id, corrections: lines },
    });
    await enqueueEvent(trx, {
      type: 'joint.correction',
      aggregateType: 'joint_case',
      aggregateId: id,
      regionCode: j.region_code,
      payload: payload(j, { lines: all.map((x) => `${x.departmentName} · ${x.material}:${x.problem}`) }),
      recipients: applicantRecipient(j),
    });
  });
  return getJoint(ctx, actor, id);
}

/**
 * The applicant (or whoever filed for them) supplies the combined correction once: every named material
 * must be there again; every paused sub-case resumes (its clock gives back the paused days) and its material
 * takes the new file.
 */
export async function supplyJoint(ctx: CaseCtx, actorIn: Actor | null, id: string, version: number) {
  const actor = requireActor(actorIn);
  const j = await jointOrThrow(ctx.db, id);
  await assertRead(ctx.db, actor, j);
  if (!isApplicantSide(actor, j)) throw new AppError('FORBIDDEN', 'error.forbidden');
  if (j.status !== 'correcting') throw notAllowed(j.status, 'supplyCorrection');
  if (j.version !== version) throw new AppError('VERSION_CONFLICT', 'error.conflict');
  const open = await ctx.db
    .selectFrom('joint_corrections')
    .selectAll()
    .where('joint_case_id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  const items = open.items as CorrectionItem[];
  const named = new Set(items.map((x) => x.material));
  const mats = await ctx.db
    .selectFrom('joint_materials')
    .selectAll()
    .where('joint_case_id', '=', id)
    .execute();
  const still = mats
    .filter((m) => named.has(m.name) && m.status !== 'provided')
    .map((m) => ({
      field: `materials.${m.position}`,
      rule: 'required',
      key: 'rule.materialMissing',
      params: { name: m.name },
    }));
  if (still.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: still });
  const affected = [...new Set(items.map((x) => x.caseId))];
  const resumes: PreparedCaseAction[] = [];
  for (const caseId of affected) {
    const c = await ctx.db
      .selectFrom('cases')
      .select(['status'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    if (c.status === 'suspended')
      resumes.push(
        await prepareSystemAct(ctx, caseId, 'resume', `补正材料已提交(并联审批 ${j.number})`, {
          onBehalfOf: `${actor.displayName}(补正)`,
        }),
      );
  }
  // Every paused sub-case resumes with the joint round closed, in one transaction.
  await ctx.db.transaction().execute(async (trx) => {
    for (const resume of resumes) await resume(trx);
    await updateJoint(trx, j, { version, status: 'correcting' }, { status: 'accepted' });
    await trx
      .updateTable('joint_corrections')
      .set({ status: 'supplied', supplied_at: now() })
      .where('id', '=', open.id)
      .execute();
    for (const m of mats.filter((x) => named.has(x.name))) {
      await trx
        .updateTable('joint_materials')
        .set({ note: null, updated_at: new Date() })
        .where('id', '=', m.id)
        .execute();
      // The members read the same file the applicant handed in once (一次提供、多次使用).
      await trx
        .updateTable('case_materials')
        .set({
          status: 'provided',
          file_sha256: m.file_sha256,
          file_name: m.file_name,
          supplied_at: now(),
          note: null,
          updated_at: new Date(),
        })
        .where('case_id', 'in', affected)
        .where('name', '=', m.name)
        .execute();
    }
    await jointEvent(trx, j, actor, 'supplyCorrection', { reason: [...named].join('、') });
    await recordAudit(trx, actor, {
      action: 'joint.supplyCorrection',
      targetType: 'joint_case',
      targetId: id,
      regionCode: j.region_code,
      before: { status: 'correcting', version },
      after: { status: 'accepted', resumed: affected.length, materials: [...named] },
    });
  });
  return getJoint(ctx, actor, id);
}

// The lead's board: urge (督办) ------------------------------------------------------------------------

export async function urgeMember(
  ctx: CaseCtx,
  actorIn: Actor | null,
  id: string,
  body: z.output<typeof s.urgeBody>,
) {
  const actor = requireActor(actorIn);
  const j = await jointOrThrow(ctx.db, id);
  const members = await assertRead(ctx.db, actor, j);
  if (!isLeadStaff(actor, scopeOf(j, members))) throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
  if (!OPEN_JOINT.includes(j.status)) throw notAllowed(j.status, 'urge');
  const member = members.find((m) => m.case_id === body.caseId);
  if (!member) throw fieldError('caseId', 'member', 'rule.jointNotMember');
  if (DONE.includes(member.status)) throw notAllowed(member.status, 'urge');
  await ctx.db.transaction().execute(async (trx) => {
    await jointEvent(trx, j, actor, 'urge', {
      caseId: member.case_id,
      departmentId: member.department_id,
      reason: body.message,
    });
    await recordAudit(trx, actor, {
      action: 'joint.urge',
      targetType: 'joint_case',
      targetId: id,
      regionCode: j.region_code,
      after: { caseId: member.case_id, department: member.department_name, message: body.message },
    });
    await enqueueEvent(trx, {
      type: 'joint.urged',
      aggregateType: 'joint_case',
      aggregateId: id,
      regionCode: j.region_code,
      payload: payload(j, {
        departmentName: `${member.department_name} · ${member.item_name} ${member.number}`,
        message: body.message,
      }),
      recipients: await departmentStaff(trx, [member.department_id]),
    });
  });
  return getJoint(ctx, actor, id);
}

// Completion and the one handover (统一发证) ------------------------------------------------------------

/**
 * Bring the joint case up to date with its members: when every member has its result it completes and the
 * figures are stored (working days taken, the sequential sum, days saved, days early); when a member denied
 * and the template says stop, the others are ended and the applicant gets one explanation. Safe to run any
 * number of times (the joint row's version guards it).
 */
export async function settleJoint(ctx: CaseCtx, id: string): Promise<void> {
  const j = await jointRow(ctx.db, id);
  if (!j || !OPEN_JOINT.includes(j.status)) return;
  let members = await memberCases(ctx.db, id);
  if (members.length === 0) return;
  const denied = members.filter((m) => m.decision === 'denied');
  const template = await ctx.db
    .selectFrom('joint_templates')
    .select('continue_on_denial')
    .where('id', '=', j.template_id)
    .executeTakeFirstOrThrow();
  const stop = denied.length > 0 && !template.continue_on_denial;
  if (stop) {
    const open = members.filter((x) => x.status === 'accepted' || x.status === 'suspended');
    try {
      const ends: PreparedCaseAction[] = [];
      for (const m of open)
        ends.push(
          await prepareSystemAct(
            ctx,
            m.case_id,
            'terminate',
            `并联审批 ${j.number}:${denied[0].department_name}不予许可,其余事项终止办理`,
          ),
        );
      if (ends.length)
        await ctx.db.transaction().execute(async (trx) => {
          for (const end of ends) await end(trx);
        });
    } catch (err) {
      if (!(err instanceof AppError && (err.code === 'VERSION_CONFLICT' || err.code === 'CONFLICT')))
        throw err;
      return; // A member moved meanwhile: the next settle sees its new state.
    }
    members = await memberCases(ctx.db, id);
  }
  const finished = members.every(
    (m) => DONE.includes(m.status) || (stop && (m.status === 'denied' || m.status === 'registered')),
  );
  if (!finished) return;
  const calendar = await calendarFor(ctx.db, j.region_code);
  const lastAt = members
    .map((m) => m.completed_at)
    .filter((x): x is Date => !!x)
    .reduce<Date | null>((a, b) => (!a || b > a ? b : a), null);
  const completedOn = civilDate(lastAt ?? now());
  const startedOn =
    j.accepted_on ??
    members
      .map((m) => m.accepted_on)
      .filter((x): x is string => !!x)
      .sort()[0] ??
    completedOn;
  const taken = startedOn <= completedOn ? calendar.countWorkingDays(startedOn, completedOn) : 0;
  const early =
    j.promised_due && completedOn <= j.promised_due
      ? calendar.countWorkingDays(completedOn, j.promised_due)
      : 0;
  const anyDenied =
    denied.length > 0 || members.some((m) => ['refused', 'withdrawn', 'terminated'].includes(m.status));
  const outcome = stop ? 'denied' : anyDenied ? 'partial' : 'approved';
  const explanation = anyDenied
    ? members
        .filter((m) => m.decision === 'denied' || ['refused', 'withdrawn', 'terminated'].includes(m.status))
        .map(
          (m) =>
            `${m.department_name} · ${m.item_name}:${m.decision === 'denied' ? '不予许可' : m.status === 'terminated' ? '终止办理' : '未办理'}`,
        )
        .join(';')
    : null;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await updateJoint(
        trx,
        j,
        { version: j.version, status: j.status },
        {
          status: stop ? 'stopped' : 'completed',
          completed_at: lastAt ?? now(),
          completed_on: completedOn,
          accepted_on: j.accepted_on ?? startedOn,
          working_days_taken: taken,
          days_saved: Math.max(0, j.sequential_limit_days - taken),
          days_early: early,
          outcome,
          explanation,
        },
      );
      const system = { type: 'system' as const, id: null, displayName: 'system' };
      await jointEvent(trx, j, system, stop ? 'stop' : 'complete', { reason: explanation });
      await recordAudit(trx, system, {
        action: stop ? 'joint.stop' : 'joint.complete',
        targetType: 'joint_case',
        targetId: id,
        regionCode: j.region_code,
        after: {
          outcome,
          workingDaysTaken: taken,
          sequentialLimitDays: j.sequential_limit_days,
          daysEarly: early,
        },
      });
      await enqueueEvent(trx, {
        type: stop ? 'joint.stopped' : 'joint.completed',
        aggregateType: 'joint_case',
        aggregateId: id,
        regionCode: j.region_code,
        payload: payload(j, { message: explanation }),
        recipients: applicantRecipient(j),
      });
    });
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'VERSION_CONFLICT')) throw err;
  }
}

/** Hand every result over together at one window, or (the applicant) download them together. */
export async function handoverJoint(
  ctx: CaseCtx,
  actorIn: Actor | null,
  id: string,
  body: z.output<typeof s.handoverBody>,
) {
  const actor = requireActor(actorIn);
  await settleJoint(ctx, id);
  const j = await jointOrThrow(ctx.db, id);
  const members = await assertRead(ctx.db, actor, j);
  if (j.status !== 'completed' && j.status !== 'stopped') throw notAllowed(j.status, 'handover');
  if (j.version !== body.version) throw new AppError('VERSION_CONFLICT', 'error.conflict');
  let method = body.deliveryMethod;
  if (actor.type === 'applicant') {
    if (j.applicant_account_id !== actor.id) throw new AppError('FORBIDDEN', 'error.forbidden');
    method = 'download';
  } else if (!mayActAsFirstWindow(actor, j, members)) {
    throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'window_clerk' });
  }
  const onBehalfOf = `${actor.displayName}(统一发证)`;
  const deliveries: PreparedCaseAction[] = [];
  for (const m of members.filter((x) => x.status === 'completed'))
    deliveries.push(
      await prepareSystemAct(ctx, m.case_id, 'deliver', `并联审批 ${j.number} 统一发证`, {
        onBehalfOf,
        deliveryMethod: method,
      }),
    );
  await ctx.db.transaction().execute(async (trx) => {
    for (const deliver of deliveries) await deliver(trx);
    await updateJoint(
      trx,
      j,
      { version: body.version, status: j.status },
      {
        status: 'delivered',
        delivered_at: now(),
        delivery_method: method,
      },
    );
    await jointEvent(trx, j, actor, 'handover', { reason: method });
    await recordAudit(trx, actor, {
      action: 'joint.handover',
      targetType: 'joint_case',
      targetId: id,
      regionCode: j.region_code,
      before: { status: j.status, version: body.version },
      after: {
        status: 'delivered',
        method,
        delivered: members.filter((x) => x.status === 'completed').length,
      },
    });
    await enqueueEvent(trx, {
      type: 'joint.delivered',
      aggregateType: 'joint_case',
      aggregateId: id,
      regionCode: j.region_code,
      payload: payload(j),
      recipients: applicantRecipient(j),
    });
  });
  return getJoint(ctx, actor, id);
}

// Reading ----------------------------------------------------------------------------------------------

function memberLate(m: MemberRow, at: Date): boolean {
  return (
    (m.status === 'accepted' || m.status === 'suspended') && !!m.promised_due_at && m.promised_due_at < at
  );
}

function presentSummary(j: JointRow, members: MemberRow[], full: boolean): Summary {
  const at = now();
  const open = OPEN_JOINT.includes(j.status);
  return {
    id: j.id,
    number: j.number,
    templateCode: j.template_code,
    templateName: j.template_name,
    mode: j.mode,
    status: j.status as Summary['status'],
    leadDepartmentId: j.lead_department_id,
    leadDepartmentName: j.lead_department_name,
    applicantName: full ? j.applicant_name : maskName(j.applicant_name),
    channel: j.channel,
    acceptedOn: j.accepted_on,
    promisedDays: j.promised_days,
    promisedDue: j.promised_due,
    dueProvisional: j.due_provisional,
    late: open && !!j.promised_due_at && j.promised_due_at < at,
    membersTotal: members.length,
    membersDone: members.filter((m) => DONE.includes(m.status)).length,
    membersLate: members.filter((m) => memberLate(m, at)).length,
    sequentialLimitDays: j.sequential_limit_days,
    workingDaysTaken: j.working_days_taken,
    daysSaved: j.days_saved,
    daysEarly: j.days_early,
    outcome: j.outcome,
    version: j.version,
    createdAt: j.created_at.toISOString(),
  };
}

function actionsFor(actor: Actor, j: JointRow, members: MemberRow[]): string[] {
  const out: string[] = [];
  const applicantSide = isApplicantSide(actor, j);
  if (applicantSide && j.status === 'draft') out.push('upload', 'submit');
  if (applicantSide && j.status === 'correcting') out.push('upload', 'supply');
  if (actor.type === 'applicant' && applicantSide && j.status === 'completed') out.push('download');
  if (actor.type === 'staff') {
    const firstWindow = mayActAsFirstWindow(actor, j, members);
    if (firstWindow && j.mode === 'joint' && j.status === 'submitted') out.push('accept');
    if (firstWindow && (j.status === 'completed' || j.status === 'stopped')) out.push('handover');
    const own = ownDepartments(actor);
    if (
      (j.status === 'accepted' || j.status === 'correcting') &&
      members.some((m) => own.includes(m.department_id) && m.status === 'accepted')
    )
      out.push('correct');
    if (OPEN_JOINT.includes(j.status) && isLeadStaff(actor, scopeOf(j, members))) out.push('urge');
  }
  return out;
}

export async function getJoint(ctx: CaseCtx, actorIn: Actor | null, id: string): Promise<Detail> {
  const actor = requireActor(actorIn);
  await settleJoint(ctx, id);
  const j = await jointOrThrow(ctx.db, id);
  const members = await assertRead(ctx.db, actor, j);
  const full =
    isApplicantSide(actor, j) ||
    (actor.type === 'staff' && ownDepartments(actor).includes(j.lead_department_id));
  const [mats, rounds, events, template] = await Promise.all([
    ctx.db
      .selectFrom('joint_materials')
      .selectAll()
      .where('joint_case_id', '=', id)
      .orderBy('position')
      .execute(),
    ctx.db
      .selectFrom('joint_corrections')
      .selectAll()
      .where('joint_case_id', '=', id)
      .orderBy('round')
      .execute(),
    ctx.db.selectFrom('joint_events').selectAll().where('joint_case_id', '=', id).orderBy('at').execute(),
    ctx.db
      .selectFrom('joint_templates')
      .select('form_fields')
      .where('id', '=', j.template_id)
      .executeTakeFirstOrThrow(),
  ]);
  const names = await departmentNames(
    ctx.db,
    events.map((e) => e.department_id).filter((x): x is string => !!x),
  );
  const at = now();
  return {
    ...presentSummary(j, members, full),
    regionCode: j.region_code,
    form: j.form as Record<string, string>,
    formFields: template.form_fields as FormField[],
    members: members.map((m) => ({
      caseId: m.case_id,
      number: m.number,
      itemCode: m.item_code,
      itemName: m.item_name,
      departmentId: m.department_id,
      departmentName: m.department_name,
      status: m.status as CaseStatus,
      stepName: m.step_name,
      holder: m.assignee_name ?? m.step_role,
      promisedDays: m.promised_days,
      promisedDue: m.promised_due,
      late: memberLate(m, at),
      decision: m.decision,
      version: m.version,
      materials: mats.filter((x) => (x.item_codes as string[]).includes(m.item_code)).map((x) => x.name),
    })),
    materials: mats.map((m) => ({
      id: m.id,
      name: m.name,
      required: m.required,
      itemCodes: m.item_codes as string[],
      status: m.status,
      fileName: m.file_name,
      note: m.note,
    })),
    corrections: rounds.map((r) => ({
      round: r.round,
      status: r.status,
      openedAt: r.opened_at.toISOString(),
      suppliedAt: r.supplied_at?.toISOString() ?? null,
      items: r.items as CorrectionItem[],
    })),
    explanation: j.explanation,
    timeline: events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      actorName:
        actor.type === 'applicant' && e.actor_type === 'staff' ? maskName(e.actor_name) : e.actor_name,
      departmentName: e.department_id ? (names.get(e.department_id) ?? null) : null,
      reason: e.reason,
    })),
    actions: actionsFor(actor, j, members),
  };
}

export async function listJoint(ctx: CaseCtx, actorIn: Actor | null, query: z.output<typeof s.jointList>) {
  const actor = requireActor(actorIn);
  let qb = ctx.db
    .selectFrom('joint_cases as j')
    .innerJoin('departments as d', 'd.id', 'j.lead_department_id')
    .selectAll('j')
    .select('d.name as lead_department_name');
  if (actor.type === 'applicant') qb = qb.where('j.applicant_account_id', '=', actor.id);
  else if (actor.type === 'staff') {
    const own = ownDepartments(actor);
    const memberOf = (ids: string[]) =>
      ctx.db.selectFrom('joint_case_members').select('joint_case_id').where('department_id', 'in', ids);
    if (query.scope === 'mine')
      qb = qb.where((eb) =>
        eb.or([eb('j.registered_by', '=', actor.id), eb('j.proxy_agent_id', '=', actor.id)]),
      );
    else if (query.scope === 'lead')
      qb = qb.where(
        'j.lead_department_id',
        'in',
        own.length ? own : ['00000000-0000-0000-0000-000000000000'],
      );
    else if (query.scope === 'member') {
      if (own.length === 0) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
      qb = qb.where('j.id', 'in', memberOf(own));
    } else if (!isSysAdmin(actor) && !hasRole(actor, ['hall_admin', 'supervisor'])) {
      const ids = own.length ? own : ['00000000-0000-0000-0000-000000000000'];
      qb = qb.where((eb) =>
        eb.or([
          eb('j.lead_department_id', 'in', ids),
          eb('j.id', 'in', memberOf(ids)),
          eb('j.registered_by', '=', actor.id),
          eb('j.proxy_agent_id', '=', actor.id),
        ]),
      );
    }
  } else throw new AppError('FORBIDDEN', 'error.forbidden');
  if (query.status) qb = qb.where('j.status', '=', query.status);
  if (query.q)
    qb = qb.where((eb) =>
      eb.or([eb('j.number', 'like', `%${query.q}%`), eb('j.template_name', 'like', `%${query.q}%`)]),
    );
  const rows = await qb
    .orderBy('j.created_at', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  const total = await qb
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const items: Summary[] = [];
  for (const j of rows) {
    const members = await memberCases(ctx.db, j.id);
    const full =
      isApplicantSide(actor, j) ||
      (actor.type === 'staff' && ownDepartments(actor).includes(j.lead_department_id));
    items.push(presentSummary(j, members, full));
  }
  return { items, total: Number(total.n), page: query.page, pageSize: query.pageSize };
}

/**
 * Open joint cases a settle could close, for the periodic sweep: every member done, or a member denied on a
 * template that stops the rest. Only those: the oldest open ones, still in progress, would otherwise take
 * every place of the batch, run after run, and a newer joint case whose members had all finished would
 * wait until someone opened it.
 */
export async function openJointIds(db: Db, limit = 200): Promise<string[]> {
  const members = (eb: ExpressionBuilder<Database & { j: Database['joint_cases'] }, 'j'>) =>
    eb
      .selectFrom('joint_case_members as m')
      .innerJoin('cases as c', 'c.id', 'm.case_id')
      .select('m.case_id')
      .whereRef('m.joint_case_id', '=', 'j.id');
  const rows = await db
    .selectFrom('joint_cases as j')
    .innerJoin('joint_templates as t', 't.id', 'j.template_id')
    .select('j.id')
    .where('j.status', 'in', OPEN_JOINT)
    .where((eb) =>
      eb.or([
        eb.and([eb.exists(members(eb)), eb.not(eb.exists(members(eb).where('c.status', 'not in', DONE)))]),
        eb.and([
          eb('t.continue_on_denial', '=', false),
          eb.exists(members(eb).where('c.decision', '=', 'denied')),
        ]),
      ]),
    )
    .orderBy('j.updated_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
