import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { requireActor, requireRole, visibleRegions } from '../../platform/policy.js';
import type { Account } from './queries.js';

/** Whose inbox: staff members and applicants have one; API tokens and the system do not. */
export function ownInbox(actor: Actor | null): Account {
  const a = requireActor(actor);
  if (a.type !== 'staff' && a.type !== 'applicant') throw new AppError('FORBIDDEN', 'error.noInbox');
  return { type: a.type, id: a.id };
}

/**
 * The notification log (SMS outbox, e-mail, in-app) is for system administrators (everywhere) and hall
 * administrators (their region and below). Returns the regions the caller may see; null means all.
 */
export function notificationRegions(actor: Actor | null): string[] | null {
  const staff = requireRole(actor, ['hall_admin']);
  return visibleRegions(staff, ['hall_admin']);
}
