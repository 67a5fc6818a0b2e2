import type { Insertable, Updateable } from 'kysely';
import type { DepartmentsTable, HallsTable, RegionsTable, WindowsTable } from '../../db/types.js';
import { containsPattern, type Page, paginate } from '../../platform/paging.js';
import type { Tx } from '../../platform/tx.js';
import type { PageQuery } from '../../platform/validation.js';
import { regionPrefix } from '../../platform/validators/index.js';

/** SQL for regions, departments, halls and windows. Only this module's service calls it. */

export type RegionRow = {
  code: string;
  name: string;
  level: RegionsTable['level'];
  parent_code: string | null;
};

export function getRegion(db: Tx, code: string): Promise<RegionRow | undefined> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code'])
    .where('code', '=', code)
    .executeTakeFirst();
}

export function listRegions(
  db: Tx,
  page: PageQuery & { parentCode?: string; level?: string; within?: string[] | null },
): Promise<Page<RegionRow>> {
  let q = db.selectFrom('regions');
  if (page.parentCode) q = q.where('parent_code', '=', page.parentCode);
  if (page.level) q = q.where('level', '=', page.level as RegionRow['level']);
  if (page.q)
    q = q.where((eb) =>
      eb.or([eb('name', 'like', containsPattern(page.q as string)), eb('code', 'like', `${page.q}%`)]),
    );
  return paginate(q.select(['code', 'name', 'level', 'parent_code']), page, (p) =>
    p.orderBy('code').execute(),
  );
}

export async function insertRegion(db: Tx, row: Insertable<RegionsTable>): Promise<void> {
  await db.insertInto('regions').values(row).execute();
}

export async function updateRegionName(db: Tx, code: string, name: string): Promise<void> {
  await db.updateTable('regions').set({ name, updated_at: new Date() }).where('code', '=', code).execute();
}

export type DepartmentRow = {
  id: string;
  name: string;
  short_name: string;
  uscc: string;
  region_code: string;
  region_name: string;
};

function departmentsQuery(db: Tx) {
  return db
    .selectFrom('departments as d')
    .innerJoin('regions as r', 'r.code', 'd.region_code')
    .select(['d.id', 'd.name', 'd.short_name', 'd.uscc', 'd.region_code', 'r.name as region_name']);
}

export function getDepartment(db: Tx, id: string): Promise<DepartmentRow | undefined> {
  return departmentsQuery(db).where('d.id', '=', id).executeTakeFirst();
}

export function findDepartmentByUscc(db: Tx, uscc: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('departments').select('id').where('uscc', '=', uscc).executeTakeFirst();
}

export function findDepartmentByName(
  db: Tx,
  regionCode: string,
  name: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('departments')
    .select('id')
    .where('region_code', '=', regionCode)
    .where('name', '=', name)
    .executeTakeFirst();
}

export function listDepartments(
  db: Tx,
  page: PageQuery & { regionCode?: string },
): Promise<Page<DepartmentRow>> {
  let q = departmentsQuery(db);
  if (page.regionCode) q = q.where('d.region_code', 'like', `${safePrefix(page.regionCode)}%`);
  if (page.q) {
    const p = containsPattern(page.q);
    q = q.where((eb) =>
      eb.or([eb('d.name', 'like', p), eb('d.short_name', 'like', p), eb('d.uscc', '=', page.q as string)]),
    );
  }
  return paginate(q, page, (p) => p.orderBy('d.name').execute());
}

export async function insertDepartment(db: Tx, row: Insertable<DepartmentsTable>): Promise<void> {
  await db.insertInto('departments').values(row).execute();
}

export async function updateDepartmentRow(
  db: Tx,
  id: string,
  set: Updateable<DepartmentsTable>,
): Promise<void> {
  await db
    .updateTable('departments')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export type HallRow = {
  id: string;
  name: string;
  level: HallsTable['level'];
  region_code: string;
  region_name: string;
  address: string;
  hours: string;
  phone: string;
};

function hallsQuery(db: Tx) {
  return db
    .selectFrom('halls as h')
    .innerJoin('regions as r', 'r.code', 'h.region_code')
    .select([
      'h.id',
      'h.name',
      'h.level',
      'h.region_code',
      'r.name as region_name',
      'h.address',
      'h.hours',
      'h.phone',
    ]);
}

export function getHall(db: Tx, id: string): Promise<HallRow | undefined> {
  return hallsQuery(db).where('h.id', '=', id).executeTakeFirst();
}

export function findHallByName(
  db: Tx,
  regionCode: string,
  name: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('halls')
    .select('id')
    .where('region_code', '=', regionCode)
    .where('name', '=', name)
    .executeTakeFirst();
}

export function listHalls(db: Tx, page: PageQuery & { regionCode?: string }): Promise<Page<HallRow>> {
  let q = hallsQuery(db);
  if (page.regionCode) q = q.where('h.region_code', 'like', `${safePrefix(page.regionCode)}%`);
  if (page.q) q = q.where('h.name', 'like', containsPattern(page.q));
  return paginate(q, page, (p) => p.orderBy('h.region_code').orderBy('h.name').execute());
}

export async function insertHall(db: Tx, row: Insertable<HallsTable>): Promise<void> {
  await db.insertInto('halls').values(row).execute();
}

export async function updateHallRow(db: Tx, id: string, set: Updateable<HallsTable>): Promise<void> {
  await db
    .updateTable('halls')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export type WindowRow = {
  id: string;
  hall_id: string;
  hall_name: string;
  region_code: string;
  number: string;
  name: string;
  kind: WindowsTable['kind'];
  department_id: string | null;
  department_name: string | null;
  categories: string[];
};

function windowsQuery(db: Tx) {
  return db
    .selectFrom('windows as w')
    .innerJoin('halls as h', 'h.id', 'w.hall_id')
    .leftJoin('departments as d', 'd.id', 'w.department_id')
    .select([
      'w.id',
      'w.hall_id',
      'h.name as hall_name',
      'w.region_code',
      'w.number',
      'w.name',
      'w.kind',
      'w.department_id',
      'd.name as department_name',
      'w.categories',
    ]);
}

export function getWindow(db: Tx, id: string): Promise<WindowRow | undefined> {
  return windowsQuery(db).where('w.id', '=', id).executeTakeFirst();
}

export function findWindowByNumber(
  db: Tx,
  hallId: string,
  number: string,
): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('windows')
    .select('id')
    .where('hall_id', '=', hallId)
    .where('number', '=', number)
    .executeTakeFirst();
}

export function listWindows(db: Tx, page: PageQuery & { hallId?: string }): Promise<Page<WindowRow>> {
  let q = windowsQuery(db);
  if (page.hallId) q = q.where('w.hall_id', '=', page.hallId);
  if (page.q) {
    const p = containsPattern(page.q);
    q = q.where((eb) => eb.or([eb('w.name', 'like', p), eb('w.number', 'like', p)]));
  }
  return paginate(q, page, (p) => p.orderBy('h.name').orderBy('w.number').execute());
}

export async function insertWindow(db: Tx, row: Insertable<WindowsTable>): Promise<void> {
  await db.insertInto('windows').values(row).execute();
}

export async function updateWindowRow(db: Tx, id: string, set: Updateable<WindowsTable>): Promise<void> {
  await db
    .updateTable('windows')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The prefix of a region filter; a malformed code matches nothing rather than everything. */
function safePrefix(code: string): string {
  try {
    return regionPrefix(code);
  } catch {
    return '#';
  }
}
