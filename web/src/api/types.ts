/** Shapes of the `/api/v1` resources as the server presents them. */

export const ROLES = [
  'window_clerk',
  'reviewer',
  'approver',
  'hall_admin',
  'supervisor',
  'hotline_operator',
  'proxy_agent',
  'sys_admin',
] as const;
export type Role = (typeof ROLES)[number];

export type AccountType = 'staff' | 'applicant';

export type MeRole = {
  id: string;
  role: Role;
  departmentId: string | null;
  departmentName: string | null;
  regionCode: string | null;
  regionName: string | null;
};

export type Me = {
  id: string;
  accountType: AccountType;
  username: string;
  displayName: string;
  departmentId: string | null;
  regionCode: string | null;
  roles: MeRole[];
};

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

export type ListQuery = { q?: string; page?: number; pageSize?: number };

export const REGION_LEVELS = ['province', 'city', 'district', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export type Region = { code: string; name: string; level: RegionLevel; parentCode: string | null };

export const HALL_LEVELS = ['district_centre', 'sub_centre', 'township_centre', 'village_station'] as const;
export type HallLevel = (typeof HALL_LEVELS)[number];

export type Hall = {
  id: string;
  name: string;
  level: HallLevel;
  regionCode: string;
  regionName: string;
  address: string;
  hours: string;
  phone: string;
};

export const WINDOW_KINDS = ['comprehensive', 'departmental'] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/** A service window (窗口) in a hall. */
export type ServiceWindow = {
  id: string;
  hallId: string;
  hallName: string | null;
  number: string;
  name: string;
  kind: WindowKind;
  departmentId: string | null;
  departmentName: string | null;
  categories: string[];
};

export type Department = {
  id: string;
  name: string;
  shortName: string;
  uscc: string;
  regionCode: string;
  regionName: string;
};

export type RoleAssignment = { role: Role; departmentId?: string | null; regionCode?: string | null };

export type Staff = {
  id: string;
  username: string;
  displayName: string;
  mobile: string | null;
  departmentId: string | null;
  departmentName: string | null;
  regionCode: string | null;
  active: boolean;
  absent: boolean;
  absentNote: string;
  locked: boolean;
  roles: (RoleAssignment & { id?: string })[];
};

export const AUTHORIZATION_ACTIONS = ['accept', 'review', 'approve', 'issue'] as const;
export type AuthorizationAction = (typeof AUTHORIZATION_ACTIONS)[number];
export type AuthorizationScope = 'all' | 'items';
export type AuthorizationStatus = 'active' | 'pending' | 'expired' | 'revoked';

/** An authorisation letter (授权书): a department empowers one staff member for some actions. */
export type Authorization = {
  id: string;
  departmentId: string;
  departmentName: string | null;
  staffId: string;
  staffName: string | null;
  actions: AuthorizationAction[];
  scope: AuthorizationScope;
  itemCodes: string[];
  validFrom: string;
  validUntil: string | null;
  revokedAt: string | null;
  revokeReason?: string | null;
  status: AuthorizationStatus;
};

/** An AB post (AB 岗): the backup acts when the primary is away. */
export type AbPost = {
  id: string;
  departmentId: string;
  /** Not in the contract yet; shown when the server sends it. */
  departmentName?: string | null;
  primaryStaffId: string;
  primaryName: string | null;
  /** The primary is away: the backup acts now. */
  primaryAbsent?: boolean;
  backupStaffId: string;
  backupName: string | null;
};

export type ApiToken = {
  id: string;
  name: string;
  departmentId: string | null;
  departmentName: string | null;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
};

export type CreatedApiToken = ApiToken & { token: string };

export type AuditEntry = {
  id: string;
  at: string;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  viaBackupOf: string | null;
};

export const DAY_KINDS = ['workday', 'weekend', 'holiday', 'makeup', 'override-off', 'override-on'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

export type DayInfo = {
  date: string;
  workday: boolean;
  kind: DayKind;
  name?: { zh: string; en: string };
  source?: string;
};

export type CalendarYear = { year: number; loaded: boolean; days: DayInfo[] };

export type CalendarOverride = {
  id: string;
  regionCode: string;
  date: string;
  workday: boolean;
  note: string | null;
};

export type DeadlineResult = { due: string; provisional: boolean; crossed: DayInfo[] };
