import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { fieldError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Page } from '../../platform/paging.js';
import { assertAdministerRegion, isSysAdmin, requireStaff } from '../../platform/policy.js';
import type { Tx } from '../../platform/tx.js';
import type { PageQuery } from '../../platform/validation.js';
import { parentRegionCode, regionContains, regionLevelOf } from '../../platform/validators/index.js';
import * as q from './queries.js';
import type * as s from './schema.js';

type Region = z.output<typeof s.region>;
type Department = z.output<typeof s.department>;
type Hall = z.output<typeof s.hall>;
type Window = z.output<typeof s.window>;

export const presentRegion = (r: q.RegionRow): Region => ({
  code: r.code,
  name: r.name,
  level: r.level,
  parentCode: r.parent_code,
});
export const presentDepartment = (d: q.DepartmentRow): Department => ({
  id: d.id,
  name: d.name,
  shortName: d.short_name,
  uscc: d.uscc,
  regionCode: d.region_code,
  regionName: d.region_name,
});
export const presentHall = (h: q.HallRow): Hall => ({
  id: h.id,
  name: h.name,
  level: h.level,
  regionCode: h.region_code,
  regionName: h.region_name,
  address: h.address,
  hours: h.hours,
  phone: h.phone,
});
export const presentWindow = (w: q.WindowRow): Window => ({
  id: w.id,
  hallId: w.hall_id,
  hallName: w.hall_name,
  number: w.number,
  name: w.name,
  kind: w.kind,
  departmentId: w.department_id,
  departmentName: w.department_name,
  categories: w.categories,
});

const mapPage = <R, T>(page: Page<R>, f: (r: R) => T): Page<T> => ({ ...page, items: page.items.map(f) });

/** A region code that must exist, else a 400 naming the field. */
export async function requireRegion(db: Tx, code: string, field: string): Promise<q.RegionRow> {
  const region = await q.getRegion(db, code);
  if (!region) throw fieldError(field, 'exists', 'rule.regionExists', { value: code });
  return region;
}

// Regions -------------------------------------------------------------------------------------------

/** Regions, departments and halls are public information: the portal's filters and guides show them. */
export async function listRegions(
  db: Db,
  _actor: Actor | null,
  page: PageQuery & { parentCode?: string; level?: string },
) {
  return mapPage(await q.listRegions(db, page), presentRegion);
}

export async function createRegion(db: Db, actor: Actor | null, input: z.output<typeof s.createRegion>) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    if (regionLevelOf(input.code) !== input.level) {
      throw fieldError('level', 'regionLevel', 'rule.regionLevel', { level: input.level });
    }
    const parentCode = input.parentCode ?? null;
    if (parentCode === null) {
      // A top region: only a system administrator adds one.
      if (!isSysAdmin(staff)) assertAdministerRegion(staff, input.code);
    } else {
      await requireRegion(trx, parentCode, 'parentCode');
      if (parentCode !== parentRegionCode(input.code)) {
        throw fieldError('parentCode', 'regionParent', 'rule.regionParent', {
          expected: parentRegionCode(input.code) ?? '-',
        });
      }
      assertAdministerRegion(staff, parentCode);
    }
    if (await q.getRegion(trx, input.code))
      throw fieldError('code', 'unique', 'rule.unique', { value: input.code });
    await q.insertRegion(trx, {
      code: input.code,
      name: input.name,
      level: input.level,
      parent_code: parentCode,
    });
    await recordAudit(trx, staff, {
      action: 'region.create',
      targetType: 'region',
      targetId: input.code,
      regionCode: input.code,
      after: input,
    });
    return presentRegion((await q.getRegion(trx, input.code)) as q.RegionRow);
  });
}

export async function updateRegion(
  db: Db,
  actor: Actor | null,
  code: string,
  input: z.output<typeof s.updateRegion>,
) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const before = await q.getRegion(trx, code);
    if (!before) throw notFound('what.region');
    assertAdministerRegion(staff, code);
    await q.updateRegionName(trx, code, input.name);
    await recordAudit(trx, staff, {
      action: 'region.update',
      targetType: 'region',
      targetId: code,
      regionCode: code,
      before: { name: before.name },
      after: input,
    });
    return presentRegion((await q.getRegion(trx, code)) as q.RegionRow);
  });
}

// Departments ---------------------------------------------------------------------------------------

export async function listDepartments(
  db: Db,
  _actor: Actor | null,
  page: PageQuery & { regionCode?: string },
) {
  return mapPage(await q.listDepartments(db, page), presentDepartment);
}

export async function getDepartment(db: Tx, id: string): Promise<Department> {
  const d = await q.getDepartment(db, id);
  if (!d) throw notFound('what.department');
  return presentDepartment(d);
}

async function assertUniqueDepartment(
  trx: Tx,
  uscc: string,
  regionCode: string,
  name: string,
  selfId?: string,
) {
  const byUscc = await q.findDepartmentByUscc(trx, uscc);
  if (byUscc && byUscc.id !== selfId) throw fieldError('uscc', 'unique', 'rule.unique', { value: uscc });
  const byName = await q.findDepartmentByName(trx, regionCode, name);
  if (byName && byName.id !== selfId) throw fieldError('name', 'unique', 'rule.unique', { value: name });
}

export async function createDepartment(
  db: Db,
  actor: Actor | null,
  input: z.output<typeof s.createDepartment>,
) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    await requireRegion(trx, input.regionCode, 'regionCode');
    assertAdministerRegion(staff, input.regionCode);
    await assertUniqueDepartment(trx, input.uscc, input.regionCode, input.name);
    const id = newId();
    await q.insertDepartment(trx, {
      id,
      name: input.name,
      short_name: input.shortName ?? input.name,
      uscc: input.uscc,
      region_code: input.regionCode,
    });
    await recordAudit(trx, staff, {
      action: 'department.create',
      targetType: 'department',
      targetId: id,
      regionCode: input.regionCode,
      after: input,
    });
    return getDepartment(trx, id);
  });
}

export async function updateDepartment(
  db: Db,
  actor: Actor | null,
  id: string,
  input: z.output<typeof s.updateDepartment>,
) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const before = await q.getDepartment(trx, id);
    if (!before) throw notFound('what.department');
    assertAdministerRegion(staff, before.region_code);
    await assertUniqueDepartment(
      trx,
      input.uscc ?? before.uscc,
      before.region_code,
      input.name ?? before.name,
      id,
    );
    await q.updateDepartmentRow(trx, id, { name: input.name, short_name: input.shortName, uscc: input.uscc });
    await recordAudit(trx, staff, {
      action: 'department.update',
      targetType: 'department',
      targetId: id,
      regionCode: before.region_code,
      before: presentDepartment(before),
      after: input,
    });
    return getDepartment(trx, id);
  });
}

// Halls ---------------------------------------------------------------------------------------------

export async function listHalls(db: Db, _actor: Actor | null, page: PageQuery & { regionCode?: string }) {
  return mapPage(await q.listHalls(db, page), presentHall);
}

export async function createHall(db: Db, actor: Actor | null, input: z.output<typeof s.createHall>) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    await requireRegion(trx, input.regionCode, 'regionCode');
    assertAdministerRegion(staff, input.regionCode);
    if (await q.findHallByName(trx, input.regionCode, input.name)) {
      throw fieldError('name', 'unique', 'rule.unique', { value: input.name });
    }
    const id = newId();
    await q.insertHall(trx, {
      id,
      name: input.name,
      level: input.level,
      region_code: input.regionCode,
      address: input.address,
      hours: input.hours,
      phone: input.phone,
    });
    await recordAudit(trx, staff, {
      action: 'hall.create',
      targetType: 'hall',
      targetId: id,
      regionCode: input.regionCode,
      after: input,
    });
    return presentHall((await q.getHall(trx, id)) as q.HallRow);
  });
}

export async function updateHall(
  db: Db,
  actor: Actor | null,
  id: string,
  input: z.output<typeof s.updateHall>,
) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const before = await q.getHall(trx, id);
    if (!before) throw notFound('what.hall');
    assertAdministerRegion(staff, before.region_code);
    if (
      input.name &&
      input.name !== before.name &&
      (await q.findHallByName(trx, before.region_code, input.name))
    ) {
      throw fieldError('name', 'unique', 'rule.unique', { value: input.name });
    }
    await q.updateHallRow(trx, id, input);
    await recordAudit(trx, staff, {
      action: 'hall.update',
      targetType: 'hall',
      targetId: id,
      regionCode: before.region_code,
      before: presentHall(before),
      after: input,
    });
    return presentHall((await q.getHall(trx, id)) as q.HallRow);
  });
}

// Windows -------------------------------------------------------------------------------------------

export async function listWindows(db: Db, actor: Actor | null, page: PageQuery & { hallId?: string }) {
  requireActorNotApplicant(actor);
  return mapPage(await q.listWindows(db, page), presentWindow);
}

async function checkWindowDepartment(
  trx: Tx,
  kind: 'comprehensive' | 'departmental',
  departmentId: string | null,
  hallRegion: string,
) {
  if (kind === 'departmental' && !departmentId) {
    throw fieldError('departmentId', 'required', 'rule.departmentRequired');
  }
  if (departmentId) {
    const dept = await q.getDepartment(trx, departmentId);
    if (!dept) throw fieldError('departmentId', 'exists', 'rule.exists', { what: 'what.department' });
    // A hall hosts departments of its own region or of the regions above it (district departments at a township).
    if (!regionContains(dept.region_code, hallRegion) && !regionContains(hallRegion, dept.region_code)) {
      throw fieldError('departmentId', 'sameRegion', 'rule.sameRegion', { region: hallRegion });
    }
  }
}

export async function createWindow(db: Db, actor: Actor | null, input: z.output<typeof s.createWindow>) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const hall = await q.getHall(trx, input.hallId);
    if (!hall) throw fieldError('hallId', 'exists', 'rule.exists', { what: 'what.hall' });
    assertAdministerRegion(staff, hall.region_code);
    const departmentId = input.departmentId ?? null;
    await checkWindowDepartment(trx, input.kind, departmentId, hall.region_code);
    if (await q.findWindowByNumber(trx, input.hallId, input.number)) {
      throw fieldError('number', 'unique', 'rule.unique', { value: input.number });
    }
    const id = newId();
    await q.insertWindow(trx, {
      id,
      hall_id: input.hallId,
      region_code: hall.region_code,
      number: input.number,
      name: input.name,
      kind: input.kind,
      department_id: departmentId,
      categories: input.categories,
    });
    await recordAudit(trx, staff, {
      action: 'window.create',
      targetType: 'window',
      targetId: id,
      regionCode: hall.region_code,
      after: input,
    });
    return presentWindow((await q.getWindow(trx, id)) as q.WindowRow);
  });
}

export async function updateWindow(
  db: Db,
  actor: Actor | null,
  id: string,
  input: z.output<typeof s.updateWindow>,
) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const before = await q.getWindow(trx, id);
    if (!before) throw notFound('what.window');
    assertAdministerRegion(staff, before.region_code);
    const kind = input.kind ?? before.kind;
    const departmentId = input.departmentId !== undefined ? input.departmentId : before.department_id;
    await checkWindowDepartment(trx, kind, departmentId, before.region_code);
    if (input.number && input.number !== before.number) {
      const clash = await q.findWindowByNumber(trx, before.hall_id, input.number);
      if (clash) throw fieldError('number', 'unique', 'rule.unique', { value: input.number });
    }
    await q.updateWindowRow(trx, id, {
      number: input.number,
      name: input.name,
      kind: input.kind,
      department_id: input.departmentId,
      categories: input.categories,
    });
    await recordAudit(trx, staff, {
      action: 'window.update',
      targetType: 'window',
      targetId: id,
      regionCode: before.region_code,
      before: presentWindow(before),
      after: input,
    });
    return presentWindow((await q.getWindow(trx, id)) as q.WindowRow);
  });
}

/** The organisation's structure is readable by staff and department systems, not by applicants. */
function requireActorNotApplicant(actor: Actor | null): Actor {
  if (actor?.type === 'api') return actor;
  return requireStaff(actor);
}
