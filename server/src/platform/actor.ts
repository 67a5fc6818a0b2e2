import type { Role } from '../db/types.js';

/** One role a staff member holds, scoped to a department and/or a region. */
export type RoleGrant = {
  id: string;
  role: Role;
  departmentId: string | null;
  regionCode: string | null;
};

export type StaffActor = {
  type: 'staff';
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  regionCode: string;
  roles: RoleGrant[];
};

export type ApplicantActor = {
  type: 'applicant';
  id: string;
  mobile: string;
  displayName: string;
  kind: 'person' | 'enterprise';
};

/** A department business system calling with its API token. */
export type ApiActor = {
  type: 'api';
  id: string;
  displayName: string;
  departmentId: string;
  regionCode: string;
};

export type SystemActor = { type: 'system'; id: null; displayName: string };

export type Actor = StaffActor | ApplicantActor | ApiActor | SystemActor;

export const systemActor: SystemActor = { type: 'system', id: null, displayName: 'system' };

/** The role named in audit rows: the most specific one the actor holds. */
export function primaryRole(actor: Actor): string | null {
  switch (actor.type) {
    case 'staff':
      return actor.roles.map((r) => r.role).join(',') || null;
    case 'applicant':
      return 'applicant';
    case 'api':
      return 'api';
    case 'system':
      return 'system';
  }
}
