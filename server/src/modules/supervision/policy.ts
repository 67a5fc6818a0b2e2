import { type Expression, type SqlBool, sql } from 'kysely';
import type { Actor, StaffActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import {
  hasRole,
  isSysAdmin,
  ownDepartments,
  regionVisible,
  requireRole,
  requireStaff,
  visibleRegions,
} from '../../platform/policy.js';
import { regionPrefix } from '../../platform/validators/index.js';

/**
 * Who sees what in supervision. Supervisors (and hall administrators, read-only) see every case, figure,
 * alert and card of their region and below; a department's own staff see the alerts and cards addressed to
 * their department and answer them. Only supervisors raise cards, close alerts and change settings.
 */
export function requireSupervisor(actor: Actor | null): StaffActor {
  return requireRole(actor, ['supervisor']);
}

/** Board, figures and assessment: supervisors and hall administrators of a region. */
export function requireWatcher(actor: Actor | null): StaffActor {
  return requireRole(actor, ['supervisor', 'hall_admin']);
}

/** Region prefixes the actor watches; null = everywhere. */
export function watchedPrefixes(actor: StaffActor): string[] | null {
  const regions = visibleRegions(actor, ['supervisor', 'hall_admin']);
  if (regions === null) return null;
  return regions.map((r) => regionPrefix(r));
}

/** A SQL condition keeping rows whose region column lies in the actor's regions. */
export function regionFilter(prefixes: string[] | null, column: string): Expression<SqlBool> {
  if (prefixes === null) return sql<SqlBool>`true`;
  if (prefixes.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(
    prefixes.map((p) => sql`${sql.ref(column)} LIKE ${`${p}%`}`),
    sql` OR `,
  )})`;
}

/** Who may read alerts and cards: watchers of the region, and staff of the department addressed. */
export type ReaderScope = { prefixes: string[] | null; departments: string[] };

export function readerScope(actorIn: Actor | null): ReaderScope {
  const actor = requireStaff(actorIn);
  const watcher = isSysAdmin(actor) || hasRole(actor, ['supervisor', 'hall_admin']);
  const prefixes = watcher ? watchedPrefixes(actor) : [];
  return { prefixes, departments: ownDepartments(actor) };
}

export function scopeFilter(
  scope: ReaderScope,
  regionColumn: string,
  departmentColumn: string,
): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [regionFilter(scope.prefixes, regionColumn)];
  if (scope.departments.length > 0)
    parts.push(sql<SqlBool>`${sql.ref(departmentColumn)} IN (${sql.join(scope.departments)})`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

export function canSeeRecord(scope: ReaderScope, regionCode: string, departmentId: string): boolean {
  if (scope.departments.includes(departmentId)) return true;
  if (scope.prefixes === null) return true;
  return scope.prefixes.some((p) => regionCode.startsWith(p));
}

/** The department answers (acknowledges, rectifies) what is addressed to it; supervisors may too. */
export function assertAnswer(actor: StaffActor, regionCode: string, departmentId: string): void {
  if (ownDepartments(actor).includes(departmentId)) return;
  if (regionVisible(actor, regionCode, ['supervisor'])) return;
  throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
}

/** Closing an alert or card and issuing cards belong to the supervisors of the region. */
export function assertSupervise(actor: StaffActor, regionCode: string): void {
  if (!regionVisible(actor, regionCode, ['supervisor']))
    throw new AppError('FORBIDDEN', 'error.forbiddenRegion');
}
