import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamp column: read as Date, written as Date or ISO string, defaulted by the database. */
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableStamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A `date` column, read as 'YYYY-MM-DD' (see the type parsers in client.ts). */
type CivilDate = ColumnType<string, string, string>;
type Json = ColumnType<unknown, string | null, string | null>;

export type RegionLevel = 'province' | 'city' | 'district' | 'township' | 'village';
export type HallLevel = 'district_centre' | 'sub_centre' | 'township_centre' | 'village_station';
export type WindowKind = 'comprehensive' | 'departmental';
export type Role =
  | 'window_clerk'
  | 'reviewer'
  | 'approver'
  | 'hall_admin'
  | 'supervisor'
  | 'hotline_operator'
  | 'proxy_agent'
  | 'sys_admin';
export type LetterAction = 'accept' | 'review' | 'approve' | 'issue';

export type RegionsTable = {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  created_at: Stamp;
  updated_at: Stamp;
};

export type DepartmentsTable = {
  id: string;
  region_code: string;
  name: string;
  short_name: string;
  uscc: string;
  created_at: Stamp;
  updated_at: Stamp;
};

export type HallsTable = {
  id: string;
  region_code: string;
  name: string;
  level: HallLevel;
  address: ColumnType<string, string | undefined, string>;
  hours: ColumnType<string, string | undefined, string>;
  phone: ColumnType<string, string | undefined, string>;
  created_at: Stamp;
  updated_at: Stamp;
};

export type WindowsTable = {
  id: string;
  hall_id: string;
  region_code: string;
  number: string;
  name: string;
  kind: WindowKind;
  department_id: string | null;
  categories: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Stamp;
  updated_at: Stamp;
};

export type StaffTable = {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  mobile: string | null;
  department_id: string | null;
  region_code: string;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  absent: ColumnType<boolean, boolean | undefined, boolean>;
  absent_note: ColumnType<string, string | undefined, string>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: NullableStamp;
  password_changed_at: Stamp;
  created_at: Stamp;
  updated_at: Stamp;
};

export type StaffRolesTable = {
  id: string;
  staff_id: string;
  role: Role;
  department_id: string | null;
  region_code: string | null;
  created_at: Stamp;
};

export type ApplicantsTable = {
  id: string;
  mobile: string;
  password_hash: string;
  kind: 'person' | 'enterprise';
  name: string;
  id_number: string | null;
  uscc: string | null;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: NullableStamp;
  password_changed_at: Stamp;
  created_at: Stamp;
  updated_at: Stamp;
};

export type SessionsTable = {
  id: string;
  account_type: 'staff' | 'applicant';
  account_id: string;
  csrf_token: string;
  created_at: Stamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
};

export type ApiTokensTable = {
  id: string;
  name: string;
  department_id: string;
  region_code: string;
  token_hash: string;
  prefix: string;
  created_by: string;
  created_at: Stamp;
  revoked_at: NullableStamp;
  last_used_at: NullableStamp;
};

export type AuthorizationLettersTable = {
  id: string;
  department_id: string;
  region_code: string;
  staff_id: string;
  actions: LetterAction[];
  scope: 'all' | 'items';
  item_codes: ColumnType<string[], string[] | undefined, string[]>;
  valid_from: CivilDate;
  valid_until: ColumnType<string | null, string | null | undefined, string | null>;
  revoked_at: NullableStamp;
  revoke_reason: string | null;
  created_by: string;
  created_at: Stamp;
};

export type AbPostsTable = {
  id: string;
  department_id: string;
  region_code: string;
  primary_staff_id: string;
  backup_staff_id: string;
  created_at: Stamp;
};

export type AuditLogTable = {
  id: Generated<number>;
  at: ColumnType<Date, Date | string, never>;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  actor_role: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  region_code: string | null;
  before: Json;
  after: Json;
  reason: string | null;
  via_backup_of: string | null;
  prev_hash: string;
  hash: string;
};

export type IdempotencyKeysTable = {
  actor: string;
  key: string;
  method: string;
  path: string;
  status: number;
  body: Json;
  created_at: Stamp;
};

export type CalendarOverridesTable = {
  id: string;
  region_code: string;
  date: CivilDate;
  workday: boolean;
  note: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: Stamp;
};

export type CalendarYearsTable = {
  region_code: string;
  year: number;
  note: ColumnType<string, string | undefined, string>;
  created_by: string | null;
  created_at: Stamp;
};

export type Database = {
  regions: RegionsTable;
  departments: DepartmentsTable;
  halls: HallsTable;
  windows: WindowsTable;
  staff: StaffTable;
  staff_roles: StaffRolesTable;
  applicants: ApplicantsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  authorization_letters: AuthorizationLettersTable;
  ab_posts: AbPostsTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  calendar_overrides: CalendarOverridesTable;
  calendar_years: CalendarYearsTable;
};

export type Region = Selectable<RegionsTable>;
export type Department = Selectable<DepartmentsTable>;
export type Hall = Selectable<HallsTable>;
export type Window = Selectable<WindowsTable>;
export type Staff = Selectable<StaffTable>;
export type StaffRole = Selectable<StaffRolesTable>;
export type Applicant = Selectable<ApplicantsTable>;
export type AuthorizationLetter = Selectable<AuthorizationLettersTable>;
export type NewStaff = Insertable<StaffTable>;
export type StaffUpdate = Updateable<StaffTable>;
