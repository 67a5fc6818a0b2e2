import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { isSysAdmin, ownDepartments, regionVisible, requireActor } from '../../platform/policy.js';

/** What the policy needs to know of a case. */
export type CaseScope = {
  departmentId: string;
  regionCode: string;
  applicantAccountId: string | null;
  proxyAgentId: string | null;
  registeredBy: string | null;
};

/**
 * Who may read a case: the applicant who filed it, the proxy agent who filed it for them, the handling
 * department's staff (and its API token), and administrators, supervisors and hotline operators of the
 * region. Nobody else — a clerk of another department gets 403.
 */
export function canReadCase(actor: Actor, c: CaseScope): boolean {
  if (isSysAdmin(actor)) return true;
  switch (actor.type) {
    case 'system':
      // The platform's own jobs (art. 32, deemed approval) act on every case.
      return true;
    case 'applicant':
      return c.applicantAccountId === actor.id;
    case 'api':
      return actor.departmentId === c.departmentId;
    case 'staff':
      if (ownDepartments(actor).includes(c.departmentId)) return true;
      if (c.proxyAgentId === actor.id || c.registeredBy === actor.id) return true;
      return regionVisible(actor, c.regionCode, ['hall_admin', 'supervisor', 'hotline_operator']);
    default:
      return false;
  }
}

export function assertReadCase(actor: Actor | null, c: CaseScope): Actor {
  const a = requireActor(actor);
  if (!canReadCase(a, c)) throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
  return a;
}

/** The applicant's own data (full ID number) is shown to the applicant and the handling department only. */
export function seesPersonalData(actor: Actor, c: CaseScope): boolean {
  if (actor.type === 'applicant') return c.applicantAccountId === actor.id;
  if (actor.type === 'api') return actor.departmentId === c.departmentId;
  return (
    actor.type === 'staff' && (ownDepartments(actor).includes(c.departmentId) || c.proxyAgentId === actor.id)
  );
}
