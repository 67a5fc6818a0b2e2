import type { Expression, Insertable } from 'kysely';
import type { AuthorizationLettersTable, Role, StaffTable } from '../../db/types.js';
import { containsPattern, type Page, paginate } from '../../platform/paging.js';
import type { Tx } from '../../platform/tx.js';
import type { PageQuery } from '../../platform/validation.js';

/** Who may be listed: null = everyone; otherwise rows of these departments or under these region prefixes. */
export type Visibility = { departments: string[]; regionPrefixes: string[]; selfId?: string } | null;

export type StaffRow = {
  region_name: string;
  id: string;
  username: string;
  display_name: string;
  mobile: string | null;
  department_id: string | null;
  department_name: string | null;
  region_code: string;
  active: boolean;
  absent: boolean;
  absent_note: string;
  locked_until: Date | null;
};

function staffQuery(db: Tx) {
  return db
    .selectFrom('staff as s')
    .leftJoin('departments as d', 'd.id', 's.department_id')
    .innerJoin('regions as g', 'g.code', 's.region_code')
    .select([
      'g.name as region_name',
      's.id',
      's.username',
      's.display_name',
      's.mobile',
      's.department_id',
      'd.name as department_name',
      's.region_code',
      's.active',
      's.absent',
      's.absent_note',
      's.locked_until',
    ]);
}

export function getStaff(db: Tx, id: string): Promise<StaffRow | undefined> {
  return staffQuery(db).where('s.id', '=', id).executeTakeFirst();
}

export function findStaffByUsername(db: Tx, username: string) {
  return db.selectFrom('staff').select('id').where('username', '=', username).executeTakeFirst();
}

export function listStaff(
  db: Tx,
  page: PageQuery & { departmentId?: string; role?: Role },
  visibility: Visibility,
): Promise<Page<StaffRow>> {
  let q = staffQuery(db);
  if (visibility) {
    const v = visibility;
    q = q.where((eb) =>
      eb.or([
        ...(v.departments.length ? [eb('s.department_id', 'in', v.departments)] : []),
        ...v.regionPrefixes.map((p) => eb('s.region_code', 'like', `${p}%`)),
        ...(v.selfId ? [eb('s.id', '=', v.selfId)] : []),
        eb.val(false),
      ]),
    );
  }
  if (page.departmentId) q = q.where('s.department_id', '=', page.departmentId);
  if (page.role) {
    const role = page.role;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('staff_roles as sr')
          .select('sr.id')
          .whereRef('sr.staff_id', '=', 's.id')
          .where('sr.role', '=', role),
      ),
    );
  }
  if (page.q) {
    const p = containsPattern(page.q);
    q = q.where((eb) => eb.or([eb('s.username', 'like', p), eb('s.display_name', 'like', p)]));
  }
  return paginate(q, page, (p) => p.orderBy('s.username').execute());
}

export type RoleRow = {
  id: string;
  staff_id: string;
  role: Role;
  department_id: string | null;
  region_code: string | null;
};

export function rolesOf(db: Tx, staffIds: string[]): Promise<RoleRow[]> {
  if (staffIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('staff_roles')
    .select(['id', 'staff_id', 'role', 'department_id', 'region_code'])
    .where('staff_id', 'in', staffIds)
    .orderBy('created_at')
    .execute();
}

export async function insertStaff(db: Tx, row: Insertable<StaffTable>): Promise<void> {
  await db.insertInto('staff').values(row).execute();
}

export async function replaceRoles(
  db: Tx,
  staffId: string,
  roles: { id: string; role: Role; department_id: string | null; region_code: string | null }[],
): Promise<void> {
  await db.deleteFrom('staff_roles').where('staff_id', '=', staffId).execute();
  if (roles.length)
    await db
      .insertInto('staff_roles')
      .values(roles.map((r) => ({ ...r, staff_id: staffId })))
      .execute();
}

export type LetterRow = {
  id: string;
  department_id: string;
  department_name: string;
  region_code: string;
  staff_id: string;
  staff_name: string;
  actions: AuthorizationLettersTable['actions'];
  scope: 'all' | 'items';
  item_codes: string[];
  valid_from: string;
  valid_until: string | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
};

function lettersQuery(db: Tx) {
  return db
    .selectFrom('authorization_letters as l')
    .innerJoin('departments as d', 'd.id', 'l.department_id')
    .innerJoin('staff as s', 's.id', 'l.staff_id')
    .select([
      'l.id',
      'l.department_id',
      'd.name as department_name',
      'l.region_code',
      'l.staff_id',
      's.display_name as staff_name',
      'l.actions',
      'l.scope',
      'l.item_codes',
      'l.valid_from',
      'l.valid_until',
      'l.revoked_at',
      'l.revoke_reason',
    ]);
}

export function getLetter(db: Tx, id: string): Promise<LetterRow | undefined> {
  return lettersQuery(db).where('l.id', '=', id).executeTakeFirst();
}

export function listLetters(
  db: Tx,
  page: PageQuery & { staffId?: string; departmentId?: string },
  visibility: Visibility,
): Promise<Page<LetterRow>> {
  let q = lettersQuery(db);
  if (visibility) {
    const v = visibility;
    q = q.where((eb) =>
      eb.or([
        ...(v.departments.length ? [eb('l.department_id', 'in', v.departments)] : []),
        ...v.regionPrefixes.map((p) => eb('l.region_code', 'like', `${p}%`)),
        ...(v.selfId ? [eb('l.staff_id', '=', v.selfId)] : []),
        eb.val(false),
      ]),
    );
  }
  if (page.staffId) q = q.where('l.staff_id', '=', page.staffId);
  if (page.departmentId) q = q.where('l.department_id', '=', page.departmentId);
  if (page.q) q = q.where('s.display_name', 'like', containsPattern(page.q));
  return paginate(q, page, (p) => p.orderBy('l.created_at', 'desc').execute());
}

/** Letters that allow `action` in the department on the date, for the item (or for all items). */
export function validLetters(
  db: Tx,
  staffId: string,
  departmentId: string,
  action: string,
  on: string,
  itemCode: string | null,
) {
  let q = db
    .selectFrom('authorization_letters')
    .select(['id', 'scope', 'item_codes'])
    .where('staff_id', '=', staffId)
    .where('department_id', '=', departmentId)
    .where('revoked_at', 'is', null)
    .where('valid_from', '<=', on)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>=', on)]))
    .where((eb) => eb(eb.val(action), '=', eb.fn.any('actions')));
  if (itemCode === null) q = q.where('scope', '=', 'all');
  return q
    .execute()
    .then((rows) =>
      rows.filter((r) => r.scope === 'all' || (itemCode !== null && r.item_codes.includes(itemCode))),
    );
}

/** A letter action held now: by which letter, and through which absent primary (null: one's own letter). */
export type HeldLetter = { letterId: string; viaBackupOf: string | null };

/**
 * Every letter action a staff member may use now in a department for an item, in one query: their own valid
 * letters, and those of primaries they back up who are marked absent (AB 岗). Own letters win.
 */
export async function heldLetterActions(
  db: Tx,
  staffId: string,
  departmentId: string,
  on: string,
  itemCode: string,
): Promise<Map<string, HeldLetter>> {
  return heldFrom(await heldLettersQuery(db, staffId, departmentId, on).execute(), staffId, itemCode);
}

/**
 * The letters `heldLetterActions` reads, as a query another statement can embed (the case page's, the case
 * read of an action, where the department is the case's column).
 */
export function heldLettersQuery(
  db: Tx,
  staffId: string | Expression<string>,
  departmentId: string | Expression<string>,
  on: string,
) {
  return db
    .selectFrom('authorization_letters as l')
    .select(['l.id', 'l.staff_id', 'l.actions', 'l.scope', 'l.item_codes'])
    .where('l.department_id', '=', departmentId)
    .where('l.revoked_at', 'is', null)
    .where('l.valid_from', '<=', on)
    .where((eb) => eb.or([eb('l.valid_until', 'is', null), eb('l.valid_until', '>=', on)]))
    .where((eb) =>
      eb.or([
        eb('l.staff_id', '=', staffId),
        eb(
          'l.staff_id',
          'in',
          eb
            .selectFrom('ab_posts as a')
            .innerJoin('staff as p', 'p.id', 'a.primary_staff_id')
            .select('a.primary_staff_id')
            .where('a.backup_staff_id', '=', staffId)
            .where('a.department_id', '=', departmentId)
            .where('p.absent', '=', true),
        ),
      ]),
    );
}

export type HeldLetterRow = {
  id: string;
  staff_id: string;
  actions: string[];
  scope: string;
  item_codes: string[];
};

/** The letter actions the rows of `heldLettersQuery` give for an item; own letters win. */
export function heldFrom(rows: HeldLetterRow[], staffId: string, itemCode: string): Map<string, HeldLetter> {
  const held = new Map<string, HeldLetter>();
  for (const r of rows) {
    if (r.scope !== 'all' && !r.item_codes.includes(itemCode)) continue;
    const via = r.staff_id === staffId ? null : r.staff_id;
    for (const a of r.actions)
      if (!held.has(a) || via === null) held.set(a, { letterId: r.id, viaBackupOf: via });
  }
  return held;
}

export type AbPostRow = {
  department_name: string;
  id: string;
  department_id: string;
  region_code: string;
  primary_staff_id: string;
  primary_name: string;
  primary_absent: boolean;
  backup_staff_id: string;
  backup_name: string;
};

function abPostsQuery(db: Tx) {
  return db
    .selectFrom('ab_posts as a')
    .innerJoin('departments as d', 'd.id', 'a.department_id')
    .innerJoin('staff as p', 'p.id', 'a.primary_staff_id')
    .innerJoin('staff as b', 'b.id', 'a.backup_staff_id')
    .select([
      'd.name as department_name',
      'a.id',
      'a.department_id',
      'a.region_code',
      'a.primary_staff_id',
      'p.display_name as primary_name',
      'p.absent as primary_absent',
      'a.backup_staff_id',
      'b.display_name as backup_name',
    ]);
}

export function getAbPost(db: Tx, id: string): Promise<AbPostRow | undefined> {
  return abPostsQuery(db).where('a.id', '=', id).executeTakeFirst();
}

export function listAbPosts(db: Tx, page: PageQuery & { departmentId?: string }, visibility: Visibility) {
  let q = abPostsQuery(db);
  if (visibility) {
    const v = visibility;
    q = q.where((eb) =>
      eb.or([
        ...(v.departments.length ? [eb('a.department_id', 'in', v.departments)] : []),
        ...v.regionPrefixes.map((p) => eb('a.region_code', 'like', `${p}%`)),
        eb.val(false),
      ]),
    );
  }
  if (page.departmentId) q = q.where('a.department_id', '=', page.departmentId);
  return paginate(q, page, (p) => p.orderBy('p.display_name').execute());
}

/** Primaries for whom this staff member is the designated backup in the department. */
export function primariesOf(db: Tx, backupStaffId: string, departmentId: string) {
  return abPostsQuery(db)
    .where('a.backup_staff_id', '=', backupStaffId)
    .where('a.department_id', '=', departmentId)
    .execute();
}

export type ApiTokenRow = {
  id: string;
  name: string;
  department_id: string;
  department_name: string;
  region_code: string;
  prefix: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
};

function tokensQuery(db: Tx) {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('departments as d', 'd.id', 't.department_id')
    .select([
      't.id',
      't.name',
      't.department_id',
      'd.name as department_name',
      't.region_code',
      't.prefix',
      't.created_at',
      't.revoked_at',
      't.last_used_at',
    ]);
}

export function getApiToken(db: Tx, id: string): Promise<ApiTokenRow | undefined> {
  return tokensQuery(db).where('t.id', '=', id).executeTakeFirst();
}

export function listApiTokens(db: Tx, page: PageQuery & { departmentId?: string }, visibility: Visibility) {
  let q = tokensQuery(db);
  if (visibility) {
    const v = visibility;
    q = q.where((eb) =>
      eb.or([
        ...(v.departments.length ? [eb('t.department_id', 'in', v.departments)] : []),
        ...v.regionPrefixes.map((p) => eb('t.region_code', 'like', `${p}%`)),
        eb.val(false),
      ]),
    );
  }
  if (page.departmentId) q = q.where('t.department_id', '=', page.departmentId);
  return paginate(q, page, (p) => p.orderBy('t.created_at', 'desc').execute());
}
