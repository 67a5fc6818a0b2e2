import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { LetterAction, Role } from '../../db/types.js';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { API_TOKEN_PREFIX, deleteSessionsOf, sha256 } from '../../platform/auth/sessions.js';
import { now, today } from '../../platform/clock.js';
import { AppError, type FieldError, fieldError, notFound } from '../../platform/errors.js';
import { newId, newSecret } from '../../platform/ids.js';
import { maskMobile } from '../../platform/mask.js';
import type { Page } from '../../platform/paging.js';
import { assertAdministerRegion, departmentRoles, isSysAdmin, requireStaff } from '../../platform/policy.js';
import type { Tx } from '../../platform/tx.js';
import type { PageQuery } from '../../platform/validation.js';
import * as org from '../org/queries.js';
import { requireRegion } from '../org/service.js';
import { assertCanSee, recordVisibility, tokenVisibility } from './policy.js';
import * as q from './queries.js';
import type * as s from './schema.js';

type StaffItem = z.output<typeof s.staffItem>;
type Letter = z.output<typeof s.letter>;
type AbPost = z.output<typeof s.abPost>;
type ApiToken = z.output<typeof s.apiToken>;
type RoleInput = z.output<typeof s.roleGrantInput>;

const mapPage = <R, T>(page: Page<R>, f: (r: R) => T): Page<T> => ({ ...page, items: page.items.map(f) });

function presentStaff(row: q.StaffRow, roles: q.RoleRow[]): StaffItem {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    mobile: row.mobile ? maskMobile(row.mobile) : null,
    departmentId: row.department_id,
    departmentName: row.department_name,
    regionCode: row.region_code,
    regionName: row.region_name,
    active: row.active,
    absent: row.absent,
    absentNote: row.absent_note,
    locked: !!row.locked_until && row.locked_until > now(),
    roles: roles
      .filter((r) => r.staff_id === row.id)
      .map((r) => ({ id: r.id, role: r.role, departmentId: r.department_id, regionCode: r.region_code })),
  };
}

function letterStatus(row: q.LetterRow, on: string): Letter['status'] {
  if (row.revoked_at) return 'revoked';
  if (row.valid_from > on) return 'pending';
  if (row.valid_until && row.valid_until < on) return 'expired';
  return 'active';
}

function presentLetter(row: q.LetterRow): Letter {
  return {
    id: row.id,
    departmentId: row.department_id,
    departmentName: row.department_name,
    staffId: row.staff_id,
    staffName: row.staff_name,
    actions: row.actions,
    scope: row.scope,
    itemCodes: row.item_codes,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
    revokeReason: row.revoke_reason,
    status: letterStatus(row, today()),
  };
}

const presentAbPost = (a: q.AbPostRow): AbPost => ({
  id: a.id,
  departmentId: a.department_id,
  departmentName: a.department_name,
  primaryStaffId: a.primary_staff_id,
  primaryName: a.primary_name,
  primaryAbsent: a.primary_absent,
  backupStaffId: a.backup_staff_id,
  backupName: a.backup_name,
});

const presentToken = (t: q.ApiTokenRow): ApiToken => ({
  id: t.id,
  name: t.name,
  departmentId: t.department_id,
  departmentName: t.department_name,
  prefix: t.prefix,
  createdAt: t.created_at.toISOString(),
  revokedAt: t.revoked_at ? t.revoked_at.toISOString() : null,
  lastUsedAt: t.last_used_at ? t.last_used_at.toISOString() : null,
});

// Staff ---------------------------------------------------------------------------------------------

export async function listStaff(
  db: Db,
  actor: Actor | null,
  page: PageQuery & { departmentId?: string; role?: Role },
) {
  const visibility = recordVisibility(actor);
  const result = await q.listStaff(db, page, visibility);
  const roles = await q.rolesOf(
    db,
    result.items.map((r) => r.id),
  );
  return mapPage(result, (r) => presentStaff(r, roles));
}

async function staffOrThrow(db: Tx, id: string): Promise<q.StaffRow> {
  const row = await q.getStaff(db, id);
  if (!row) throw notFound('what.staff');
  return row;
}

export async function getStaff(db: Tx, actor: Actor | null, id: string): Promise<StaffItem> {
  const visibility = recordVisibility(actor);
  const row = await staffOrThrow(db, id);
  assertCanSee(visibility, { departmentId: row.department_id, regionCode: row.region_code, staffId: row.id });
  return presentStaff(row, await q.rolesOf(db, [id]));
}

/**
 * Check the roles an administrator grants: department roles need a department, region roles a region
 * (default: the staff member's), only a system administrator grants sys_admin, and every scope must lie
 * within what the granting administrator administers.
 */
async function resolveRoles(
  trx: Tx,
  actor: StaffActor,
  roles: RoleInput[],
  defaults: { departmentId: string | null; regionCode: string },
  prefix: string,
) {
  const resolved: { id: string; role: Role; department_id: string | null; region_code: string | null }[] = [];
  for (const [i, r] of roles.entries()) {
    const field = (name: string) => `${prefix}.${i}.${name}`;
    if (r.role === 'sys_admin') {
      if (!isSysAdmin(actor)) throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'sys_admin' });
      resolved.push({ id: newId(), role: r.role, department_id: null, region_code: null });
      continue;
    }
    if (departmentRoles.includes(r.role)) {
      const departmentId = r.departmentId ?? defaults.departmentId;
      if (!departmentId)
        throw fieldError(field('departmentId'), 'roleScope', 'rule.roleScope', { role: r.role });
      const dept = await org.getDepartment(trx, departmentId);
      if (!dept)
        throw fieldError(field('departmentId'), 'exists', 'rule.exists', { what: 'what.department' });
      assertAdministerRegion(actor, dept.region_code);
      resolved.push({
        id: newId(),
        role: r.role,
        department_id: departmentId,
        region_code: r.regionCode ?? null,
      });
      continue;
    }
    const regionCode = r.regionCode ?? defaults.regionCode;
    await requireRegion(trx, regionCode, field('regionCode'));
    assertAdministerRegion(actor, regionCode);
    resolved.push({
      id: newId(),
      role: r.role,
      department_id: r.departmentId ?? null,
      region_code: regionCode,
    });
  }
  return resolved;
}

export async function createStaff(db: Db, actor: Actor | null, input: z.output<typeof s.createStaff>) {
  const staff = requireStaff(actor);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    await requireRegion(trx, input.regionCode, 'regionCode');
    assertAdministerRegion(staff, input.regionCode);
    const departmentId = input.departmentId ?? null;
    if (departmentId) {
      const dept = await org.getDepartment(trx, departmentId);
      if (!dept) throw fieldError('departmentId', 'exists', 'rule.exists', { what: 'what.department' });
    }
    if (await q.findStaffByUsername(trx, input.username)) {
      throw fieldError('username', 'unique', 'rule.unique', { value: input.username });
    }
    const id = newId();
    const roles = await resolveRoles(
      trx,
      staff,
      input.roles,
      { departmentId, regionCode: input.regionCode },
      'roles',
    );
    await q.insertStaff(trx, {
      id,
      username: input.username,
      display_name: input.displayName,
      password_hash: passwordHash,
      mobile: input.mobile ?? null,
      department_id: departmentId,
      region_code: input.regionCode,
    });
    await q.replaceRoles(trx, id, roles);
    await recordAudit(trx, staff, {
      action: 'staff.create',
      targetType: 'staff',
      targetId: id,
      regionCode: input.regionCode,
      after: { ...input, password: undefined, mobile: input.mobile ? maskMobile(input.mobile) : null, roles },
    });
    return getStaff(trx, staff, id);
  });
}

export async function updateStaff(
  db: Db,
  actor: Actor | null,
  id: string,
  input: z.output<typeof s.updateStaff>,
) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const before = await staffOrThrow(trx, id);
    assertAdministerRegion(staff, before.region_code);
    await trx
      .updateTable('staff')
      .set({
        display_name: input.displayName,
        mobile: input.mobile === undefined ? undefined : input.mobile,
        active: input.active,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    if (input.active === false) await deleteSessionsOf(trx, 'staff', id);
    await recordAudit(trx, staff, {
      action: 'staff.update',
      targetType: 'staff',
      targetId: id,
      regionCode: before.region_code,
      before: { displayName: before.display_name, active: before.active },
      after: { ...input, mobile: input.mobile ? maskMobile(input.mobile) : input.mobile },
    });
    return getStaff(trx, staff, id);
  });
}

export async function setRoles(db: Db, actor: Actor | null, id: string, input: z.output<typeof s.putRoles>) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const target = await staffOrThrow(trx, id);
    assertAdministerRegion(staff, target.region_code);
    const before = await q.rolesOf(trx, [id]);
    const roles = await resolveRoles(
      trx,
      staff,
      input.roles,
      { departmentId: target.department_id, regionCode: target.region_code },
      'roles',
    );
    await q.replaceRoles(trx, id, roles);
    await recordAudit(trx, staff, {
      action: 'staff.roles',
      targetType: 'staff',
      targetId: id,
      regionCode: target.region_code,
      before: before.map((r) => ({ role: r.role, departmentId: r.department_id, regionCode: r.region_code })),
      after: roles.map((r) => ({ role: r.role, departmentId: r.department_id, regionCode: r.region_code })),
    });
    return getStaff(trx, staff, id);
  });
}

/** AB 岗: mark a primary absent so the designated backup may act, or present again. */
export async function setAbsence(
  db: Db,
  actor: Actor | null,
  id: string,
  input: z.output<typeof s.absenceBody>,
) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const target = await staffOrThrow(trx, id);
    // A staff member may report their own absence; otherwise an administrator of the region.
    if (staff.id !== id) assertAdministerRegion(staff, target.region_code);
    await trx
      .updateTable('staff')
      .set({ absent: input.absent, absent_note: input.note, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, staff, {
      action: input.absent ? 'staff.absent' : 'staff.present',
      targetType: 'staff',
      targetId: id,
      regionCode: target.region_code,
      before: { absent: target.absent },
      after: input,
      reason: input.note || null,
    });
    return getStaff(trx, staff, id);
  });
}

export async function unlockStaff(db: Db, actor: Actor | null, id: string) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const target = await staffOrThrow(trx, id);
    assertAdministerRegion(staff, target.region_code);
    await trx
      .updateTable('staff')
      .set({ locked_until: null, failed_logins: 0 })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, staff, {
      action: 'staff.unlock',
      targetType: 'staff',
      targetId: id,
      regionCode: target.region_code,
    });
    return getStaff(trx, staff, id);
  });
}

// Authorisation letters (授权书) ----------------------------------------------------------------------

export async function listLetters(
  db: Db,
  actor: Actor | null,
  page: PageQuery & { staffId?: string; departmentId?: string },
) {
  return mapPage(await q.listLetters(db, page, recordVisibility(actor)), presentLetter);
}

export async function createLetter(db: Db, actor: Actor | null, input: z.output<typeof s.createLetter>) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const dept = await org.getDepartment(trx, input.departmentId);
    if (!dept) throw fieldError('departmentId', 'exists', 'rule.exists', { what: 'what.department' });
    const holder = await q.getStaff(trx, input.staffId);
    if (!holder) throw fieldError('staffId', 'exists', 'rule.exists', { what: 'what.staff' });
    assertAdministerRegion(staff, dept.region_code);
    const id = newId();
    await trx
      .insertInto('authorization_letters')
      .values({
        id,
        department_id: input.departmentId,
        region_code: dept.region_code,
        staff_id: input.staffId,
        actions: input.actions,
        scope: input.scope,
        item_codes: input.scope === 'items' ? input.itemCodes : [],
        valid_from: input.validFrom,
        valid_until: input.validUntil ?? null,
        created_by: staff.id,
      })
      .execute();
    await recordAudit(trx, staff, {
      action: 'letter.grant',
      targetType: 'letter',
      targetId: id,
      regionCode: dept.region_code,
      after: input,
    });
    return presentLetter((await q.getLetter(trx, id)) as q.LetterRow);
  });
}

export async function revokeLetter(db: Db, actor: Actor | null, id: string, reason: string) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const letter = await q.getLetter(trx, id);
    if (!letter) throw notFound('what.letter');
    assertAdministerRegion(staff, letter.region_code);
    if (letter.revoked_at) return presentLetter(letter);
    await trx
      .updateTable('authorization_letters')
      .set({ revoked_at: new Date(), revoke_reason: reason })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, staff, {
      action: 'letter.revoke',
      targetType: 'letter',
      targetId: id,
      regionCode: letter.region_code,
      reason,
    });
    return presentLetter((await q.getLetter(trx, id)) as q.LetterRow);
  });
}

export type Authorisation = { letterId: string; viaBackupOf: string | null };

/**
 * May this staff member take `action` on the department's item today? Either by a valid letter of their
 * own, or as the designated backup (AB 岗) of a primary who is marked absent and holds such a letter.
 * Case handling calls this inside its transaction and records `viaBackupOf` in its audit row.
 */
export async function authorise(
  trx: Tx,
  input: {
    staffId: string;
    departmentId: string;
    action: LetterAction;
    itemCode: string | null;
    on?: string;
  },
): Promise<Authorisation> {
  const on = input.on ?? today();
  const own = await q.validLetters(trx, input.staffId, input.departmentId, input.action, on, input.itemCode);
  if (own.length > 0) return { letterId: own[0].id, viaBackupOf: null };
  for (const post of await q.primariesOf(trx, input.staffId, input.departmentId)) {
    if (!post.primary_absent) continue;
    const theirs = await q.validLetters(
      trx,
      post.primary_staff_id,
      input.departmentId,
      input.action,
      on,
      input.itemCode,
    );
    if (theirs.length > 0) return { letterId: theirs[0].id, viaBackupOf: post.primary_staff_id };
  }
  throw letterRequired(input.action, input.itemCode);
}

/** The refusal when no valid letter (own, or an absent primary's) covers the action for the item. */
export function letterRequired(action: LetterAction, itemCode: string | null): AppError {
  return new AppError('AUTH_LETTER_REQUIRED', 'error.authLetterRequired', {
    action: `action.${action}`,
    item: itemCode ?? '*',
  });
}

/**
 * The letter actions a staff member may use now for an item, each with the letter and the absent primary it
 * is held through (null: their own letter). One query: case handling authorises an action from it and shows
 * the workbench's buttons from the same answer; the write re-checks that letter (and the absence) in its own
 * statement.
 */
export function heldLetterActions(
  trx: Tx,
  input: { staffId: string; departmentId: string; itemCode: string; on?: string },
): Promise<Map<string, q.HeldLetter>> {
  return q.heldLetterActions(trx, input.staffId, input.departmentId, input.on ?? today(), input.itemCode);
}

/** The check a department system or the web app makes before an action; recorded when it succeeds. */
export async function checkAuthorisation(db: Db, actor: Actor | null, input: z.output<typeof s.checkBody>) {
  const visibility = recordVisibility(actor);
  return db.transaction().execute(async (trx) => {
    const target = await staffOrThrow(trx, input.staffId);
    assertCanSee(visibility, {
      departmentId: target.department_id,
      regionCode: target.region_code,
      staffId: target.id,
    });
    const result = await authorise(trx, {
      staffId: input.staffId,
      departmentId: input.departmentId,
      action: input.action,
      itemCode: input.itemCode ?? null,
      on: input.on,
    });
    await recordAudit(trx, actor as Actor, {
      action: 'letter.check',
      targetType: 'staff',
      targetId: input.staffId,
      regionCode: target.region_code,
      after: { ...input, letterId: result.letterId },
      viaBackupOf: result.viaBackupOf,
    });
    return { allowed: true as const, ...result };
  });
}

// AB posts ------------------------------------------------------------------------------------------

export async function listAbPosts(db: Db, actor: Actor | null, page: PageQuery & { departmentId?: string }) {
  return mapPage(await q.listAbPosts(db, page, recordVisibility(actor)), presentAbPost);
}

export async function createAbPost(db: Db, actor: Actor | null, input: z.output<typeof s.createAbPost>) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const dept = await org.getDepartment(trx, input.departmentId);
    if (!dept) throw fieldError('departmentId', 'exists', 'rule.exists', { what: 'what.department' });
    assertAdministerRegion(staff, dept.region_code);
    const errors: FieldError[] = [];
    for (const field of ['primaryStaffId', 'backupStaffId'] as const) {
      const person = await q.getStaff(trx, input[field]);
      if (!person) errors.push({ field, rule: 'exists', key: 'rule.exists', params: { what: 'what.staff' } });
      else if (person.department_id !== input.departmentId)
        errors.push({ field, rule: 'sameDepartment', key: 'rule.sameDepartment' });
    }
    if (errors.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: errors });
    const dup = await trx
      .selectFrom('ab_posts')
      .select('id')
      .where('primary_staff_id', '=', input.primaryStaffId)
      .where('backup_staff_id', '=', input.backupStaffId)
      .executeTakeFirst();
    if (dup) throw fieldError('backupStaffId', 'unique', 'rule.unique', { value: 'AB' });
    const id = newId();
    await trx
      .insertInto('ab_posts')
      .values({
        id,
        department_id: input.departmentId,
        region_code: dept.region_code,
        primary_staff_id: input.primaryStaffId,
        backup_staff_id: input.backupStaffId,
      })
      .execute();
    await recordAudit(trx, staff, {
      action: 'abpost.create',
      targetType: 'ab_post',
      targetId: id,
      regionCode: dept.region_code,
      after: input,
    });
    return presentAbPost((await q.getAbPost(trx, id)) as q.AbPostRow);
  });
}

export async function deleteAbPost(db: Db, actor: Actor | null, id: string): Promise<void> {
  const staff = requireStaff(actor);
  await db.transaction().execute(async (trx) => {
    const post = await q.getAbPost(trx, id);
    if (!post) throw notFound('what.abPost');
    assertAdministerRegion(staff, post.region_code);
    await trx.deleteFrom('ab_posts').where('id', '=', id).execute();
    await recordAudit(trx, staff, {
      action: 'abpost.delete',
      targetType: 'ab_post',
      targetId: id,
      regionCode: post.region_code,
      before: presentAbPost(post),
    });
  });
}

// API tokens ----------------------------------------------------------------------------------------

export async function listApiTokens(
  db: Db,
  actor: Actor | null,
  page: PageQuery & { departmentId?: string },
) {
  return mapPage(await q.listApiTokens(db, page, tokenVisibility(actor)), presentToken);
}

export async function createApiToken(db: Db, actor: Actor | null, input: z.output<typeof s.createApiToken>) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const dept = await org.getDepartment(trx, input.departmentId);
    if (!dept) throw fieldError('departmentId', 'exists', 'rule.exists', { what: 'what.department' });
    assertAdministerRegion(staff, dept.region_code);
    const token = `${API_TOKEN_PREFIX}${newSecret(32)}`;
    const id = newId();
    await trx
      .insertInto('api_tokens')
      .values({
        id,
        name: input.name,
        department_id: input.departmentId,
        region_code: dept.region_code,
        token_hash: sha256(token),
        prefix: token.slice(0, 10),
        created_by: staff.id,
      })
      .execute();
    await recordAudit(trx, staff, {
      action: 'apitoken.create',
      targetType: 'api_token',
      targetId: id,
      regionCode: dept.region_code,
      after: input,
    });
    return { ...presentToken((await q.getApiToken(trx, id)) as q.ApiTokenRow), token };
  });
}

export async function revokeApiToken(db: Db, actor: Actor | null, id: string) {
  const staff = requireStaff(actor);
  return db.transaction().execute(async (trx) => {
    const t = await q.getApiToken(trx, id);
    if (!t) throw notFound('what.apiToken');
    assertAdministerRegion(staff, t.region_code);
    if (!t.revoked_at) {
      await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).execute();
      await recordAudit(trx, staff, {
        action: 'apitoken.revoke',
        targetType: 'api_token',
        targetId: id,
        regionCode: t.region_code,
      });
    }
    return presentToken((await q.getApiToken(trx, id)) as q.ApiTokenRow);
  });
}
