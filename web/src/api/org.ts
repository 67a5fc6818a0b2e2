import { http } from './client';
import type {
  AbPost,
  ApiToken,
  AuditEntry,
  Authorization,
  AuthorizationAction,
  AuthorizationScope,
  CreatedApiToken,
  Department,
  Hall,
  HallLevel,
  ListQuery,
  Page,
  Region,
  RegionLevel,
  Role,
  RoleAssignment,
  ServiceWindow,
  Staff,
  WindowKind,
} from './types';

export type RegionQuery = ListQuery & { parentCode?: string; level?: RegionLevel };
export type RegionInput = { code: string; name: string; level: RegionLevel; parentCode: string | null };

export const regionsApi = {
  list: (query: RegionQuery) => http.get<Page<Region>>('/regions', query),
  create: (input: RegionInput) => http.post<Region>('/regions', input),
  update: (code: string, input: { name: string }) =>
    http.patch<Region>(`/regions/${encodeURIComponent(code)}`, input),
};

export type HallInput = {
  name: string;
  level: HallLevel;
  regionCode: string;
  address?: string;
  hours?: string;
  phone?: string;
};
/** A hall stays in its region. */
export type HallPatch = Partial<Omit<HallInput, 'regionCode'>>;

export const hallsApi = {
  list: (query: ListQuery & { regionCode?: string }) => http.get<Page<Hall>>('/halls', query),
  create: (input: HallInput) => http.post<Hall>('/halls', input),
  update: (id: string, input: HallPatch) => http.patch<Hall>(`/halls/${id}`, input),
};

export type WindowInput = {
  hallId: string;
  number: string;
  name: string;
  kind: WindowKind;
  departmentId: string | null;
  categories: string[];
};
/** A window stays in its hall. */
export type WindowPatch = Partial<Omit<WindowInput, 'hallId'>>;

export const windowsApi = {
  list: (query: ListQuery & { hallId?: string }) => http.get<Page<ServiceWindow>>('/windows', query),
  create: (input: WindowInput) => http.post<ServiceWindow>('/windows', input),
  update: (id: string, input: WindowPatch) => http.patch<ServiceWindow>(`/windows/${id}`, input),
};

export type DepartmentInput = { name: string; shortName?: string; uscc: string; regionCode: string };
/** A department stays in its region. */
export type DepartmentPatch = Partial<Omit<DepartmentInput, 'regionCode'>>;

export const departmentsApi = {
  list: (query: ListQuery & { regionCode?: string }) => http.get<Page<Department>>('/departments', query),
  create: (input: DepartmentInput) => http.post<Department>('/departments', input),
  update: (id: string, input: DepartmentPatch) => http.patch<Department>(`/departments/${id}`, input),
};

export type StaffCreateInput = {
  username: string;
  displayName: string;
  password: string;
  mobile?: string;
  departmentId?: string;
  regionCode: string;
  roles: RoleAssignment[];
};

export type StaffPatchInput = { displayName?: string; mobile?: string; active?: boolean };

export const staffApi = {
  list: (query: ListQuery & { departmentId?: string; role?: Role }) => http.get<Page<Staff>>('/staff', query),
  get: (id: string) => http.get<Staff>(`/staff/${id}`),
  create: (input: StaffCreateInput) => http.post<Staff>('/staff', input),
  update: (id: string, input: StaffPatchInput) => http.patch<Staff>(`/staff/${id}`, input),
  setRoles: (id: string, roles: RoleAssignment[]) => http.put<Staff>(`/staff/${id}/roles`, { roles }),
  setAbsence: (id: string, absent: boolean, note?: string) =>
    http.post<Staff>(`/staff/${id}/absence`, { absent, note }),
  unlock: (id: string) => http.post<Staff>(`/staff/${id}/unlock`),
};

export type AuthorizationInput = {
  departmentId: string;
  staffId: string;
  actions: AuthorizationAction[];
  scope: AuthorizationScope;
  itemCodes: string[];
  validFrom: string;
  validUntil: string | null;
};

export const authorizationsApi = {
  list: (query: ListQuery & { staffId?: string; departmentId?: string }) =>
    http.get<Page<Authorization>>('/authorizations', query),
  create: (input: AuthorizationInput) => http.post<Authorization>('/authorizations', input),
  revoke: (id: string, reason: string) =>
    http.post<Authorization>(`/authorizations/${id}/revoke`, { reason }),
};

export const abPostsApi = {
  list: (query: ListQuery & { departmentId?: string }) => http.get<Page<AbPost>>('/ab-posts', query),
  create: (input: { departmentId: string; primaryStaffId: string; backupStaffId: string }) =>
    http.post<AbPost>('/ab-posts', input),
  remove: (id: string) => http.delete(`/ab-posts/${id}`),
};

export const apiTokensApi = {
  list: (query: ListQuery) => http.get<Page<ApiToken>>('/api-tokens', query),
  create: (input: { name: string; departmentId: string }) => http.post<CreatedApiToken>('/api-tokens', input),
  revoke: (id: string) => http.post<ApiToken>(`/api-tokens/${id}/revoke`),
};

export type AuditQuery = ListQuery & { targetType?: string; targetId?: string; actorId?: string };

export const auditApi = {
  list: (query: AuditQuery) => http.get<Page<AuditEntry>>('/audit', query),
};
