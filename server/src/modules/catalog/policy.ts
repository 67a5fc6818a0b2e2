import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { canAdministerRegion, isSysAdmin, requireActor, visibleRegions } from '../../platform/policy.js';
import { regionPrefix } from '../../platform/validators/index.js';

/**
 * Who may do what with the catalog. The public reads published versions in effect without logging in;
 * system administrators and the hall administrators of an entry's region keep the lists. The system actor
 * (the command line and the demo seed, which already hold the database) may do everything.
 */

export function canAdministerCatalog(actor: Actor | null, regionCode: string): boolean {
  if (actor?.type === 'system') return true;
  if (actor?.type !== 'staff') return false;
  return canAdministerRegion(actor, regionCode);
}

export function assertAdministerCatalog(actor: Actor | null, regionCode: string): Actor {
  const a = requireActor(actor);
  if (a.type === 'system') return a;
  if (a.type !== 'staff')
    throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'hall_admin, sys_admin' });
  if (!canAdministerRegion(a, regionCode)) throw new AppError('FORBIDDEN', 'error.forbiddenRegion');
  return a;
}

/**
 * Region prefixes whose drafts and history the actor may read; null means all. Throws for anyone who
 * administers no region at all.
 */
export function catalogAdminPrefixes(actor: Actor | null): string[] | null {
  const a = requireActor(actor);
  if (a.type === 'system' || isSysAdmin(a)) return null;
  const regions = a.type === 'staff' ? (visibleRegions(a, ['hall_admin']) ?? []) : [];
  if (regions.length === 0)
    throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'hall_admin, sys_admin' });
  return regions.map(regionPrefix);
}

/** May the actor see drafts of an entry in this region? Anonymous callers and applicants never do. */
export function canReadDrafts(actor: Actor | null, regionCode: string): boolean {
  return canAdministerCatalog(actor, regionCode);
}
