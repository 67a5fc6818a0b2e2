import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  JointCaseMembersTable,
  JointCasesTable,
  JointCorrectionsTable,
  JointEventsTable,
  JointMaterialsTable,
  JointTemplateMembersTable,
  JointTemplatesTable,
  ProjectApprovalsTable,
  ProjectNotesTable,
  ProjectsTable,
} from './joint-types.js';
import type { SupervisionTables } from './supervision-types.js';

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
  /** Set when the chainer links the row (after commit); null until then. */
  prev_hash: string | null;
  hash: string | null;
  chain_seq: ColumnType<number | null, number | null | undefined, number | null>;
};

/** A rate limit's counter for one route and address (migration 0012, platform/rate-limit.ts). */
export type RateLimitsTable = {
  key: string;
  hits: number;
  reset_at: Stamp;
};

/**
 * Cases per department, status and step role, one row per server connection (migration 0013; kept by
 * triggers on cases, read by the staff lists' totals, compacted by cases.compact-counts).
 */
export type CaseCountsTable = {
  department_id: string;
  status: string;
  /** '' when the case has no step. */
  step_role: string;
  /** The PostgreSQL backend that counted; 0 for the rows of backends that have gone. */
  slot: number;
  n: number;
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

export type CatalogKind =
  | 'item'
  | 'power'
  | 'fee'
  | 'fund'
  | 'negative'
  | 'permission'
  | 'supervision'
  | 'intermediary';

export type CatalogStateTable = {
  id: number;
  generation: number;
  changed_at: Stamp;
  current_day: ColumnType<string | null, string | null | undefined, string | null>;
};

/** The projection of the version in effect of each catalog entry (public reads). */
export type CatalogCurrentTable = {
  entry_id: string;
  version_id: string;
  kind: CatalogKind;
  code: string;
  name: string;
  department_id: string | null;
  type: string | null;
  themes: string[];
  levels: string[];
  audiences: string[];
  online_depth: number | null;
  immediate: boolean | null;
  case_kind: string | null;
  legal_days: number | null;
  promised_days: number | null;
  visits: number | null;
  refs: string[];
  search_text: string;
  grams: string[];
  effective_from: CivilDate;
};

export type CatalogFilesTable = {
  id: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  bytes: Uint8Array;
  created_by: string | null;
  created_at: Stamp;
};

export type CatalogEntriesTable = {
  id: string;
  kind: CatalogKind;
  code: string;
  region_code: string;
  latest_seq: number;
  created_at: Stamp;
  updated_at: Stamp;
};

export type CatalogVersionsTable = {
  id: string;
  entry_id: string;
  kind: CatalogKind;
  code: string;
  seq: number;
  action: 'create' | 'amend' | 'interpret' | 'repeal';
  status: 'draft' | 'published';
  region_code: string;
  name: string;
  department_id: string | null;
  type: string | null;
  themes: ColumnType<string[], string[] | undefined, string[]>;
  levels: ColumnType<string[], string[] | undefined, string[]>;
  audiences: ColumnType<string[], string[] | undefined, string[]>;
  online_depth: number | null;
  immediate: boolean | null;
  refs: ColumnType<string[], string[] | undefined, string[]>;
  search_text: string;
  grams: ColumnType<string[], string[] | undefined, string[]>;
  data: Json;
  reason: string;
  author_id: string | null;
  author_name: string;
  created_at: Stamp;
  effective_from: CivilDate;
  effective_until: ColumnType<string | null, string | null | undefined, string | null>;
  published_at: NullableStamp;
  published_by_id: string | null;
  published_by_name: string | null;
};

// Outbox, jobs and notifications (migration 0003) -------------------------------------------------------

export type NotifyChannel = 'sms' | 'email' | 'inapp';
export type NotificationStatus = 'pending' | 'sending' | 'retry' | 'sent' | 'failed';
export type AccountType = 'staff' | 'applicant';
export type PreferredLocale = 'zh-CN' | 'en-US';
/** A jsonb column written as a JSON string (or raw object through `sql`) and read back parsed. */
type JsonIn<T> = ColumnType<T, string, string>;

export type OutboxEventsTable = {
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  region_code: string;
  payload: JsonIn<unknown>;
  recipients: JsonIn<unknown>;
  status: ColumnType<'pending' | 'dispatched' | 'failed', 'pending' | undefined, 'dispatched' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Stamp;
  last_error: string | null;
  created_at: Stamp;
  dispatched_at: NullableStamp;
};

export type ContactPreferencesTable = {
  account_type: AccountType;
  account_id: string;
  locale: ColumnType<PreferredLocale, PreferredLocale | undefined, PreferredLocale>;
  email: string | null;
  updated_at: Stamp;
};

export type NotificationsTable = {
  id: string;
  event_id: string;
  event_type: string;
  channel: NotifyChannel;
  recipient_key: string;
  account_type: AccountType | null;
  account_id: string | null;
  address: string | null;
  locale: ColumnType<PreferredLocale, PreferredLocale | undefined, PreferredLocale>;
  region_code: string;
  subject: string | null;
  body: string;
  idempotency_key: string;
  status: ColumnType<NotificationStatus, NotificationStatus | undefined, NotificationStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Stamp;
  locked_by: string | null;
  locked_until: NullableStamp;
  provider: string | null;
  provider_message_id: string | null;
  last_error: string | null;
  sent_at: NullableStamp;
  created_at: Stamp;
  updated_at: Stamp;
};

export type MessagesTable = {
  id: string;
  account_type: AccountType;
  account_id: string;
  notification_id: string;
  event_type: string;
  aggregate_type: string;
  aggregate_id: string;
  title: string;
  body: string;
  link: string | null;
  created_at: Stamp;
  read_at: NullableStamp;
};

export type JobsTable = {
  id: string;
  name: string;
  singleton_key: string | null;
  payload: JsonIn<unknown>;
  run_at: ColumnType<Date, Date | string, Date | string>;
  status: ColumnType<
    'scheduled' | 'running' | 'done' | 'failed' | 'cancelled',
    'scheduled' | undefined,
    'scheduled' | 'running' | 'done' | 'failed' | 'cancelled'
  >;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  locked_by: string | null;
  locked_until: NullableStamp;
  last_error: string | null;
  created_at: Stamp;
  updated_at: Stamp;
  finished_at: NullableStamp;
};

export type JobSchedulesTable = {
  name: string;
  every_seconds: number;
  next_run_at: ColumnType<Date, Date | string, Date | string>;
  locked_by: string | null;
  locked_until: NullableStamp;
  runs: ColumnType<number, number | undefined, number>;
  last_started_at: NullableStamp;
  last_finished_at: NullableStamp;
  last_error: string | null;
};

export type Database = {
  catalog_state: CatalogStateTable;
  catalog_current: CatalogCurrentTable;
  catalog_files: CatalogFilesTable;
  catalog_entries: CatalogEntriesTable;
  catalog_versions: CatalogVersionsTable;
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
  rate_limits: RateLimitsTable;
  case_counts: CaseCountsTable;
  calendar_overrides: CalendarOverridesTable;
  calendar_years: CalendarYearsTable;
  outbox_events: OutboxEventsTable;
  contact_preferences: ContactPreferencesTable;
  notifications: NotificationsTable;
  messages: MessagesTable;
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  files: FilesTable;
  case_number_counters: CaseNumberCountersTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_materials: CaseMaterialsTable;
  case_documents: CaseDocumentsTable;
  applicant_materials: ApplicantMaterialsTable;
  post_verifications: PostVerificationsTable;
  // Parallel approval, packages, projects (migration 0005; types in joint-types.ts).
  joint_templates: JointTemplatesTable;
  joint_template_members: JointTemplateMembersTable;
  joint_cases: JointCasesTable;
  joint_case_members: JointCaseMembersTable;
  joint_materials: JointMaterialsTable;
  joint_corrections: JointCorrectionsTable;
  joint_events: JointEventsTable;
  projects: ProjectsTable;
  project_approvals: ProjectApprovalsTable;
  project_notes: ProjectNotesTable;
} & SupervisionTables;

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

// Cases (migration 0004) --------------------------------------------------------------------------------

type Opt<T> = ColumnType<T, T | undefined, T>;

export type FilesTable = { sha256: string; size: number; mime: string; kind: string; created_at: Stamp };

export type CaseNumberCountersTable = { region_code: string; day: CivilDate; last: number };

export type CaseChannel = 'online' | 'window' | 'proxy' | 'api';

export type CasesTable = {
  id: string;
  number: string;
  /** The caller and Idempotency-Key of the registration request, when it had one. */
  idempotency_key: ColumnType<string | null, string | null | undefined, string | null>;
  region_code: string;
  item_version_id: string;
  item_code: string;
  item_name: string;
  department_id: string;
  hall_id: string | null;
  window_id: string | null;
  channel: CaseChannel;
  status: string;
  case_kind: 'immediate' | 'promised';
  step_index: Opt<number>;
  step_name: string | null;
  step_role: string | null;
  step_started_at: NullableStamp;
  step_due_at: NullableStamp;
  applicant_account_id: string | null;
  applicant_kind: 'person' | 'enterprise';
  applicant_name: string;
  applicant_id_number: string | null;
  applicant_uscc: string | null;
  applicant_mobile: string;
  applicant_email: string | null;
  applicant_locale: Opt<string>;
  proxy_agent_id: string | null;
  registered_by: string | null;
  assignee_id: string | null;
  form: Json;
  promised_days: number;
  legal_days: number;
  warn_days: Opt<number>;
  received_at: NullableStamp;
  accepted_at: NullableStamp;
  accepted_on: ColumnType<string | null, string | null | undefined, string | null>;
  promised_due: ColumnType<string | null, string | null | undefined, string | null>;
  legal_due: ColumnType<string | null, string | null | undefined, string | null>;
  promised_due_at: NullableStamp;
  legal_due_at: NullableStamp;
  warn_at: NullableStamp;
  due_provisional: Opt<boolean>;
  suspended_at: NullableStamp;
  suspended_on: ColumnType<string | null, string | null | undefined, string | null>;
  suspension_kind: string | null;
  extended_days: Opt<number>;
  deficiency_pending: Opt<boolean>;
  deficiency_due: ColumnType<string | null, string | null | undefined, string | null>;
  correction_count: Opt<number>;
  auto_accepted: Opt<boolean>;
  deemed_approved: Opt<boolean>;
  on_commitment: Opt<boolean>;
  deemed_allowed: Opt<boolean>;
  warning_sent: Opt<boolean>;
  deficiency_notified: Opt<boolean>;
  decision: 'approved' | 'denied' | null;
  decided_at: NullableStamp;
  completed_at: NullableStamp;
  completed_on_spot: Opt<boolean>;
  delivered_at: NullableStamp;
  delivery_method: 'pickup' | 'mail' | 'download' | null;
  tracking_number: string | null;
  version: Opt<number>;
  created_at: Stamp;
  updated_at: Stamp;
};

export type CaseEventsTable = {
  id: string;
  case_id: string;
  region_code: string;
  at: Stamp;
  action: string;
  from_status: string | null;
  to_status: string;
  step_name: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  via_backup_of: string | null;
  reason: string | null;
  data: Json;
};

export type CaseMaterialsTable = {
  id: string;
  case_id: string;
  region_code: string;
  position: number;
  name: string;
  required: boolean;
  allow_deficiency: Opt<boolean>;
  status: 'provided' | 'missing' | 'deficient' | 'deferred';
  file_sha256: string | null;
  file_name: string | null;
  note: string | null;
  supplied_at: NullableStamp;
  updated_at: Stamp;
};

export type CaseDocumentsTable = {
  id: string;
  case_id: string;
  region_code: string;
  kind: string;
  title: string;
  content: Json;
  file_sha256: string | null;
  created_at: Stamp;
};

export type ApplicantMaterialsTable = {
  id: string;
  applicant_id: string;
  name: string;
  file_sha256: string;
  file_name: string;
  kind: string;
  size: number;
  created_at: Stamp;
};

export type PostVerificationsTable = {
  id: string;
  case_id: string;
  region_code: string;
  department_id: string;
  due_on: CivilDate;
  status: 'open' | 'verified' | 'failed';
  note: string | null;
  done_at: NullableStamp;
  done_by: string | null;
  created_at: Stamp;
};
