import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, type FieldError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assertAdministerRegion, requireActor } from '../../platform/policy.js';
import type { Tx } from '../../platform/tx.js';
import { currentItem, departmentNames, type MemberItem } from './items.js';
import * as s from './schema.js';

type TemplateInput = z.output<typeof s.templateInput>;
type TemplateOut = z.output<typeof s.templateOut>;
type FormField = TemplateOut['formFields'][number];
type Material = z.output<typeof s.templateMaterial>;

const problem = (
  field: string,
  rule: string,
  key: string,
  params: Record<string, string | number> = {},
): FieldError => ({ field, rule, key, params });

/**
 * Check a template against the catalog and the law, naming every problem at once: each member published
 * and handled at the template's level, no member twice, a joint case spanning two departments at least,
 * every merged-form field filling some member field, the joint deadline within 45 (+15 approved) working
 * days. Returns the members as the catalog publishes them today.
 */
async function validateTemplate(db: Db, input: TemplateInput): Promise<MemberItem[]> {
  const problems: FieldError[] = [];
  const items: MemberItem[] = [];
  const seen = new Map<string, number>();
  for (const [i, m] of input.members.entries()) {
    const field = `members.${i}.itemCode`;
    const first = seen.get(m.itemCode);
    if (first !== undefined) {
      problems.push(
        problem(field, 'unique', 'rule.jointDuplicateMember', { value: m.itemCode, other: first + 1 }),
      );
      continue;
    }
    seen.set(m.itemCode, i);
    const item = await currentItem(db, m.itemCode);
    if (!item) {
      problems.push(problem(field, 'published', 'rule.jointItemPublished', { value: m.itemCode }));
      continue;
    }
    if (!item.data.levels.includes(input.level)) {
      problems.push(problem(field, 'level', 'rule.jointItemLevel', { value: item.name, level: input.level }));
    }
    items.push(item);
  }
  const departments = new Set(items.map((x) => x.departmentId));
  if (input.mode === 'joint' && problems.length === 0 && departments.size < 2) {
    problems.push(problem('members', 'departments', 'rule.jointTwoDepartments'));
  }
  const memberCodes = new Set(input.members.map((m) => m.itemCode));
  const keys = new Set<string>();
  for (const [i, f] of input.formFields.entries()) {
    if (keys.has(f.key))
      problems.push(problem(`formFields.${i}.key`, 'unique', 'rule.unique', { value: f.key }));
    keys.add(f.key);
    if (f.maps.length === 0) {
      problems.push(problem(`formFields.${i}.maps`, 'mapped', 'rule.jointFieldUnmapped', { value: f.label }));
    }
    for (const [j, mp] of f.maps.entries()) {
      if (!memberCodes.has(mp.itemCode))
        problems.push(
          problem(`formFields.${i}.maps.${j}.itemCode`, 'member', 'rule.jointFieldNotMember', {
            value: mp.itemCode,
          }),
        );
    }
  }
  const cap = s.JOINT_LEGAL_MAX + (input.extensionApproved ? s.JOINT_LEGAL_EXTENSION : 0);
  if (input.legalDays > cap)
    problems.push(problem('legalDays', 'max', 'rule.jointLegalCap', { maximum: cap }));
  if (input.promisedDays > input.legalDays)
    problems.push(problem('promisedDays', 'max', 'rule.promisedWithinLegal', { maximum: input.legalDays }));
  const lead = await db
    .selectFrom('departments')
    .select('id')
    .where('id', '=', input.leadDepartmentId)
    .executeTakeFirst();
  if (!lead)
    problems.push(problem('leadDepartmentId', 'exists', 'rule.exists', { what: input.leadDepartmentId }));
  if (problems.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: problems });
  return items;
}

/** One material set: a material several members ask for (same name) is asked for once. */
export function mergeMaterials(items: MemberItem[]): Material[] {
  const byName = new Map<string, Material>();
  for (const item of items) {
    for (const m of item.data.materials) {
      const have = byName.get(m.name);
      const required = m.requirement === 'required';
      if (have) {
        have.itemCodes.push(item.code);
        have.required ||= required;
      } else byName.set(m.name, { name: m.name, required, itemCodes: [item.code] });
    }
  }
  return [...byName.values()];
}

async function writeTemplate(trx: Tx, id: string, input: TemplateInput, items: MemberItem[]): Promise<void> {
  await trx.deleteFrom('joint_template_members').where('template_id', '=', id).execute();
  await trx
    .insertInto('joint_template_members')
    .values(
      items.map((it, i) => ({
        template_id: id,
        position: i,
        item_code: it.code,
        item_name: it.name,
        department_id: it.departmentId,
        stage: input.members[i]?.stage ?? null,
        promised_days: it.data.promisedLimitDays,
        legal_days: it.data.legalLimitDays,
      })),
    )
    .execute();
}

export async function createTemplate(
  db: Db,
  actorIn: Actor | null,
  input: TemplateInput,
): Promise<TemplateOut> {
  const actor = requireActor(actorIn);
  // The demo seed creates templates as the system; people need to administer the region.
  if (actor.type !== 'system') assertAdministerRegion(actor, input.regionCode);
  const items = await validateTemplate(db, input);
  const id = newId();
  await db.transaction().execute(async (trx) => {
    const dup = await trx
      .selectFrom('joint_templates')
      .select('id')
      .where('code', '=', input.code)
      .executeTakeFirst();
    if (dup)
      throw new AppError(
        'VALIDATION',
        'error.validation',
        {},
        {
          fields: [problem('code', 'unique', 'rule.unique', { value: input.code })],
        },
      );
    await trx
      .insertInto('joint_templates')
      .values({
        id,
        code: input.code,
        name: input.name,
        mode: input.mode,
        category: input.category,
        description: input.description,
        region_code: input.regionCode,
        level: input.level,
        lead_department_id: input.leadDepartmentId,
        promised_days: input.promisedDays,
        legal_days: input.legalDays,
        extension_approved: input.extensionApproved,
        continue_on_denial: input.continueOnDenial,
        form_fields: JSON.stringify(input.formFields),
        materials: JSON.stringify(mergeMaterials(items)),
        status: 'published',
        created_by: actor.type === 'staff' ? actor.id : null,
      })
      .execute();
    await writeTemplate(trx, id, input, items);
    await recordAudit(trx, actor, {
      action: 'joint.template.create',
      targetType: 'joint_template',
      targetId: id,
      regionCode: input.regionCode,
      after: {
        code: input.code,
        mode: input.mode,
        members: items.map((x) => x.code),
        promisedDays: input.promisedDays,
      },
    });
  });
  return getTemplate(db, id);
}

/** Replace a template's content (a new version); joint cases already filed keep what they were filed under. */
export async function updateTemplate(
  db: Db,
  actorIn: Actor | null,
  id: string,
  input: TemplateInput & { version: number },
): Promise<TemplateOut> {
  const actor = requireActor(actorIn);
  const before = await db.selectFrom('joint_templates').selectAll().where('id', '=', id).executeTakeFirst();
  if (!before) throw notFound('what.jointTemplate');
  assertAdministerRegion(actor, before.region_code);
  assertAdministerRegion(actor, input.regionCode);
  const items = await validateTemplate(db, input);
  await db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('joint_templates')
      .set({
        code: input.code,
        name: input.name,
        mode: input.mode,
        category: input.category,
        description: input.description,
        region_code: input.regionCode,
        level: input.level,
        lead_department_id: input.leadDepartmentId,
        promised_days: input.promisedDays,
        legal_days: input.legalDays,
        extension_approved: input.extensionApproved,
        continue_on_denial: input.continueOnDenial,
        form_fields: JSON.stringify(input.formFields),
        materials: JSON.stringify(mergeMaterials(items)),
        version: input.version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('VERSION_CONFLICT', 'error.conflict');
    await writeTemplate(trx, id, input, items);
    await recordAudit(trx, actor, {
      action: 'joint.template.update',
      targetType: 'joint_template',
      targetId: id,
      regionCode: input.regionCode,
      before: { version: before.version, promisedDays: before.promised_days },
      after: {
        version: input.version + 1,
        members: items.map((x) => x.code),
        promisedDays: input.promisedDays,
      },
    });
  });
  return getTemplate(db, id);
}

export type TemplateRow = Awaited<ReturnType<typeof templateRow>>;

async function templateRow(db: Db | Tx, codeOrId: string) {
  const isId = /^[0-9a-f-]{36}$/i.test(codeOrId);
  return db
    .selectFrom('joint_templates as t')
    .innerJoin('departments as d', 'd.id', 't.lead_department_id')
    .selectAll('t')
    .select('d.name as lead_department_name')
    .where(isId ? 't.id' : 't.code', '=', codeOrId)
    .executeTakeFirst();
}

export async function loadTemplate(db: Db | Tx, codeOrId: string) {
  const row = await templateRow(db, codeOrId);
  if (!row) throw notFound('what.jointTemplate');
  const members = await db
    .selectFrom('joint_template_members as m')
    .innerJoin('departments as d', 'd.id', 'm.department_id')
    .selectAll('m')
    .select('d.name as department_name')
    .where('m.template_id', '=', row.id)
    .orderBy('m.position')
    .execute();
  return { row, members };
}

export async function getTemplate(db: Db | Tx, codeOrId: string): Promise<TemplateOut> {
  const { row, members } = await loadTemplate(db, codeOrId);
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    mode: row.mode,
    category: row.category,
    description: row.description,
    regionCode: row.region_code,
    level: row.level,
    leadDepartmentId: row.lead_department_id,
    leadDepartmentName: row.lead_department_name,
    promisedDays: row.promised_days,
    legalDays: row.legal_days,
    extensionApproved: row.extension_approved,
    continueOnDenial: row.continue_on_denial,
    status: row.status,
    version: row.version,
    sequentialDays: members.reduce((n, m) => n + m.promised_days, 0),
    members: members.map((m) => ({
      itemCode: m.item_code,
      itemName: m.item_name,
      departmentId: m.department_id,
      departmentName: m.department_name,
      stage: m.stage,
      promisedDays: m.promised_days,
      legalDays: m.legal_days,
    })),
    formFields: row.form_fields as FormField[],
    materials: row.materials as Material[],
  };
}

/** Published templates and packages are public (the portal shows their guide); withdrawn ones to staff. */
export async function listTemplates(db: Db, actor: Actor | null, query: z.output<typeof s.templateList>) {
  let qb = db.selectFrom('joint_templates').select('id');
  if (query.mode) qb = qb.where('mode', '=', query.mode);
  const status = actor?.type === 'staff' ? query.status : 'published';
  if (status) qb = qb.where('status', '=', status);
  if (query.q) qb = qb.where('name', 'like', `%${query.q.replace(/[%_\\]/g, '\\$&')}%`);
  const all = await qb.orderBy('code').execute();
  const slice = all.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
  const items: TemplateOut[] = [];
  for (const r of slice) items.push(await getTemplate(db, r.id));
  return { items, total: all.length, page: query.page, pageSize: query.pageSize };
}

/** Departments names for presenters. */
export { departmentNames };
