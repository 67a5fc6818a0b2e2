import type { Actor } from '../../platform/actor.js';
import { isSysAdmin, ownDepartments, regionVisible } from '../../platform/policy.js';

/** What the policy needs to know of a joint case. */
export type JointScope = {
  leadDepartmentId: string;
  memberDepartmentIds: string[];
  regionCode: string;
  applicantAccountId: string | null;
  registeredBy: string | null;
  proxyAgentId: string | null;
};

/**
 * Who may read a joint case: the applicant, whoever filed it for them, the lead department and every member
 * department (each acts on its own sub-case only), and administrators and supervisors of the region.
 */
export function canReadJoint(actor: Actor, j: JointScope): boolean {
  if (isSysAdmin(actor)) return true;
  switch (actor.type) {
    case 'system':
      return true;
    case 'applicant':
      return j.applicantAccountId === actor.id;
    case 'api':
      return j.memberDepartmentIds.includes(actor.departmentId);
    case 'staff': {
      const own = ownDepartments(actor);
      if (own.includes(j.leadDepartmentId) || j.memberDepartmentIds.some((d) => own.includes(d))) return true;
      if (j.registeredBy === actor.id || j.proxyAgentId === actor.id) return true;
      return regionVisible(actor, j.regionCode, ['hall_admin', 'supervisor']);
    }
    default:
      return false;
  }
}

/** 牵头部门: its staff (and the hall's administrators) watch the board and urge members (督办). */
export function isLeadStaff(actor: Actor, j: JointScope): boolean {
  if (isSysAdmin(actor)) return true;
  if (actor.type !== 'staff') return false;
  return (
    ownDepartments(actor).includes(j.leadDepartmentId) || regionVisible(actor, j.regionCode, ['hall_admin'])
  );
}
