import type { Role } from '../db/types.js';
import type { Actor, StaffActor } from './actor.js';
import { AppError } from './errors.js';
import { regionContains } from './validators/index.js';

/**
 * Access rules shared by every module. Modules build their own `policy.ts` from these; a route never
 * checks a role by hand.
 */

/** Roles whose grant is tied to a department: they see that department's records only. */
export const departmentRoles: readonly Role[] = ['window_clerk', 'reviewer', 'approver'];
/** Roles whose grant is tied to a region: they see everything in and below that region. */
export const regionRoles: readonly Role[] = ['hall_admin', 'supervisor', 'hotline_operator', 'proxy_agent'];

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED', 'error.unauthenticated');
  return actor;
}

export function requireStaff(actor: Actor | null): StaffActor {
  const a = requireActor(actor);
  if (a.type !== 'staff') throw new AppError('FORBIDDEN', 'error.forbidden');
  return a;
}

export function isSysAdmin(actor: Actor | null): boolean {
  return actor?.type === 'staff' && actor.roles.some((r) => r.role === 'sys_admin');
}

export function hasRole(actor: Actor | null, roles: readonly Role[]): boolean {
  return actor?.type === 'staff' && actor.roles.some((r) => roles.includes(r.role));
}

export function requireRole(actor: Actor | null, roles: readonly Role[]): StaffActor {
  const staff = requireStaff(actor);
  if (!staff.roles.some((r) => roles.includes(r.role) || r.role === 'sys_admin')) {
    throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: roles.join(', ') });
  }
  return staff;
}

/** Region codes this actor may see, through its region-scoped roles; null means everywhere. */
export function visibleRegions(actor: Actor, roles: readonly Role[] = regionRoles): string[] | null {
  if (isSysAdmin(actor)) return null;
  if (actor.type !== 'staff') return [];
  return actor.roles.filter((r) => roles.includes(r.role) && r.regionCode).map((r) => r.regionCode as string);
}

/** Department ids this actor is tied to, through department-scoped roles or an API token. */
export function ownDepartments(actor: Actor): string[] {
  if (actor.type === 'api') return [actor.departmentId];
  if (actor.type !== 'staff') return [];
  const ids = actor.roles.filter((r) => r.departmentId).map((r) => r.departmentId as string);
  if (actor.departmentId) ids.push(actor.departmentId);
  return [...new Set(ids)];
}

export function regionVisible(
  actor: Actor,
  regionCode: string,
  roles: readonly Role[] = regionRoles,
): boolean {
  const regions = visibleRegions(actor, roles);
  if (regions === null) return true;
  return regions.some((r) => regionContains(r, regionCode));
}

/** May the actor read a record of this department (located in this region)? */
export function canReadDepartmentRecord(
  actor: Actor,
  departmentId: string | null,
  regionCode: string,
): boolean {
  if (isSysAdmin(actor)) return true;
  if (departmentId && ownDepartments(actor).includes(departmentId)) return true;
  return regionVisible(actor, regionCode);
}

/** May the actor change organisation records in this region? Only system and hall administrators. */
export function canAdministerRegion(actor: Actor, regionCode: string): boolean {
  if (isSysAdmin(actor)) return true;
  return regionVisible(actor, regionCode, ['hall_admin']);
}

export function assertReadDepartmentRecord(
  actor: Actor,
  departmentId: string | null,
  regionCode: string,
): void {
  if (!canReadDepartmentRecord(actor, departmentId, regionCode)) {
    throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
  }
}

export function assertAdministerRegion(actor: Actor, regionCode: string): void {
  if (!canAdministerRegion(actor, regionCode)) throw new AppError('FORBIDDEN', 'error.forbiddenRegion');
}
