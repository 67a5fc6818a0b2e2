import type { Insertable, Selectable, Updateable } from 'kysely';
import type { CaseEventsTable, CaseMaterialsTable, CasesTable } from '../../db/types.js';
import { containsPattern, type Page, paginate } from '../../platform/paging.js';
import type { Tx } from '../../platform/tx.js';
import type { PageQuery } from '../../platform/validation.js';

/** SQL for cases; only this module's services call it. */
export type CaseRow = Selectable<CasesTable>;
export type CaseRowWithDept = CaseRow & { department_name: string };

export function getCase(db: Tx, id: string): Promise<CaseRowWithDept | undefined> {
  return db
    .selectFrom('cases as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .selectAll('c')
    .select('d.name as department_name')
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export function getCaseByNumber(db: Tx, number: string): Promise<CaseRowWithDept | undefined> {
  return db
    .selectFrom('cases as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .selectAll('c')
    .select('d.name as department_name')
    .where('c.number', '=', number)
    .executeTakeFirst();
}

export async function insertCase(db: Tx, row: Insertable<CasesTable>): Promise<void> {
  await db.insertInto('cases').values(row).execute();
}

/**
 * The optimistic write: it changes the row only if nobody else did since it was read (same version and
 * status), and returns the row as written. Undefined when the race was lost; the caller answers 409 and its
 * transaction rolls back.
 */
export function updateCaseIfUnchanged(
  db: Tx,
  id: string,
  expected: { version: number; status: string },
  set: Updateable<CasesTable>,
): Promise<CaseRow | undefined> {
  return db
    .updateTable('cases')
    .set({ ...set, version: expected.version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', expected.version)
    .where('status', '=', expected.status)
    .returningAll()
    .executeTakeFirst();
}

export async function insertEvent(db: Tx, row: Insertable<CaseEventsTable>): Promise<void> {
  await db.insertInto('case_events').values(row).execute();
}

export function timeline(db: Tx, caseId: string) {
  return db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export function materials(db: Tx, caseId: string) {
  return db
    .selectFrom('case_materials')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('position')
    .execute();
}

export async function insertMaterials(db: Tx, rows: Insertable<CaseMaterialsTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('case_materials').values(rows).execute();
}

export function documents(db: Tx, caseId: string) {
  return db
    .selectFrom('case_documents')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}

export type CaseFilter = PageQuery & {
  statuses?: string[];
  departmentIds?: string[] | null;
  applicantAccountId?: string;
  assigneeId?: string;
  regionPrefixes?: string[] | null;
  staffId?: string;
  stepRoles?: string[];
  itemCode?: string;
  channel?: string;
  warning?: 'green' | 'yellow' | 'red';
  now: Date;
};

export function listCases(db: Tx, f: CaseFilter): Promise<Page<CaseRowWithDept>> {
  let q = db.selectFrom('cases as c').innerJoin('departments as d', 'd.id', 'c.department_id');
  if (f.applicantAccountId) q = q.where('c.applicant_account_id', '=', f.applicantAccountId);
  if (f.assigneeId) q = q.where('c.assignee_id', '=', f.assigneeId);
  if (f.departmentIds || f.regionPrefixes || f.staffId) {
    const depts = f.departmentIds ?? [];
    const prefixes = f.regionPrefixes ?? [];
    const staffId = f.staffId;
    q = q.where((eb) =>
      eb.or([
        ...(depts.length ? [eb('c.department_id', 'in', depts)] : []),
        ...prefixes.map((p) => eb('c.region_code', 'like', `${p}%`)),
        ...(staffId ? [eb('c.proxy_agent_id', '=', staffId), eb('c.registered_by', '=', staffId)] : []),
        eb.val(false),
      ]),
    );
  }
  if (f.statuses?.length) q = q.where('c.status', 'in', f.statuses);
  if (f.stepRoles?.length) {
    const roles = f.stepRoles;
    q = q.where((eb) => eb.or([eb('c.status', '<>', 'accepted'), eb('c.step_role', 'in', roles)]));
  }
  if (f.itemCode) q = q.where('c.item_code', '=', f.itemCode);
  if (f.channel) q = q.where('c.channel', '=', f.channel as CaseRow['channel']);
  if (f.warning) {
    const now = f.now;
    if (f.warning === 'red')
      q = q.where('c.promised_due_at', '<', now).where('c.status', 'in', ['accepted', 'suspended']);
    if (f.warning === 'yellow') {
      q = q
        .where('c.warn_at', '<=', now)
        .where('c.promised_due_at', '>=', now)
        .where('c.status', 'in', ['accepted', 'suspended']);
    }
    if (f.warning === 'green')
      q = q.where('c.warn_at', '>', now).where('c.status', 'in', ['accepted', 'suspended']);
  }
  if (f.q) {
    const p = containsPattern(f.q);
    q = q.where((eb) =>
      eb.or([eb('c.number', 'like', p), eb('c.item_name', 'like', p), eb('c.applicant_name', 'like', p)]),
    );
  }
  return paginate(q.selectAll('c').select('d.name as department_name'), f, (p) =>
    p
      .orderBy('c.promised_due_at', (ob) => ob.asc().nullsLast())
      .orderBy('c.created_at', 'desc')
      .execute(),
  );
}
