import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { isSysAdmin, ownDepartments, requireActor, visibleRegions } from '../../platform/policy.js';
import { regionPrefix } from '../../platform/validators/index.js';
import type { Visibility } from './queries.js';

/**
 * Staff, letters and AB posts are department records: a department's own staff see its records, region
 * administrators and supervisors see everything in their region, and everybody sees their own.
 */
export function recordVisibility(actor: Actor | null): Visibility {
  const a = requireActor(actor);
  if (isSysAdmin(a)) return null;
  if (a.type === 'applicant' || a.type === 'system') throw new AppError('FORBIDDEN', 'error.forbidden');
  const regions = visibleRegions(a, ['hall_admin', 'supervisor']) ?? [];
  return {
    departments: ownDepartments(a),
    regionPrefixes: regions.map(regionPrefix),
    selfId: a.type === 'staff' ? a.id : undefined,
  };
}

/** Department API tokens are secrets: only administrators of the region list them. */
export function tokenVisibility(actor: Actor | null): Visibility {
  const a = requireActor(actor);
  if (isSysAdmin(a)) return null;
  if (a.type !== 'staff') throw new AppError('FORBIDDEN', 'error.forbidden');
  const regions = visibleRegions(a, ['hall_admin']) ?? [];
  if (regions.length === 0)
    throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'hall_admin, sys_admin' });
  return { departments: [], regionPrefixes: regions.map(regionPrefix) };
}

export function canSee(
  visibility: Visibility,
  row: { departmentId: string | null; regionCode: string; staffId?: string },
): boolean {
  if (visibility === null) return true;
  if (row.departmentId && visibility.departments.includes(row.departmentId)) return true;
  if (row.staffId && visibility.selfId === row.staffId) return true;
  return visibility.regionPrefixes.some((p) => row.regionCode.startsWith(p));
}

export function assertCanSee(
  visibility: Visibility,
  row: { departmentId: string | null; regionCode: string; staffId?: string },
): void {
  if (!canSee(visibility, row)) throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
}
