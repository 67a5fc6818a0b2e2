import type { ColumnType } from 'kysely';

/** Table types of migration 0005 (parallel approval, service packages, major projects). */

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableStamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type CivilDate = ColumnType<string, string, string>;
type NullableDate = ColumnType<string | null, string | null | undefined, string | null>;
type Json = ColumnType<unknown, string, string>;
type Opt<T> = ColumnType<T, T | undefined, T>;
type OptNull<T> = ColumnType<T | null, T | null | undefined, T | null>;

export type JointMode = 'joint' | 'package';

export type JointTemplatesTable = {
  id: string;
  code: string;
  name: string;
  mode: JointMode;
  category: string;
  description: Opt<string>;
  region_code: string;
  level: string;
  lead_department_id: string;
  promised_days: number;
  legal_days: number;
  extension_approved: Opt<boolean>;
  continue_on_denial: Opt<boolean>;
  form_fields: Json;
  materials: Json;
  status: 'published' | 'withdrawn';
  version: Opt<number>;
  created_by: OptNull<string>;
  created_at: Stamp;
  updated_at: Stamp;
};

export type JointTemplateMembersTable = {
  template_id: string;
  position: number;
  item_code: string;
  item_name: string;
  department_id: string;
  stage: OptNull<string>;
  promised_days: number;
  legal_days: number;
};

export type JointCasesTable = {
  id: string;
  number: string;
  template_id: string;
  template_code: string;
  template_name: string;
  mode: JointMode;
  region_code: string;
  lead_department_id: string;
  channel: 'online' | 'window' | 'proxy';
  status: string;
  applicant_account_id: string | null;
  applicant_kind: 'person' | 'enterprise';
  applicant_name: string;
  applicant_id_number: string | null;
  applicant_uscc: string | null;
  applicant_mobile: string;
  applicant_locale: Opt<string>;
  registered_by: OptNull<string>;
  proxy_agent_id: OptNull<string>;
  project_id: OptNull<string>;
  form: Json;
  submitted_at: NullableStamp;
  accepted_at: NullableStamp;
  accepted_by: OptNull<string>;
  accepted_on: NullableDate;
  promised_days: number;
  promised_due: NullableDate;
  promised_due_at: NullableStamp;
  due_provisional: Opt<boolean>;
  sequential_limit_days: number;
  completed_at: NullableStamp;
  completed_on: NullableDate;
  working_days_taken: OptNull<number>;
  days_saved: OptNull<number>;
  days_early: OptNull<number>;
  outcome: OptNull<'approved' | 'partial' | 'denied'>;
  explanation: OptNull<string>;
  delivered_at: NullableStamp;
  delivery_method: OptNull<string>;
  version: Opt<number>;
  created_at: Stamp;
  updated_at: Stamp;
};

export type JointCaseMembersTable = {
  joint_case_id: string;
  position: number;
  case_id: string;
  item_code: string;
  department_id: string;
  promised_days: number;
};

export type JointMaterialsTable = {
  id: string;
  joint_case_id: string;
  position: number;
  name: string;
  required: boolean;
  item_codes: Json;
  status: 'missing' | 'provided' | 'deficient';
  file_sha256: OptNull<string>;
  file_name: OptNull<string>;
  note: OptNull<string>;
  supplied_at: NullableStamp;
  updated_at: Stamp;
};

export type JointCorrectionsTable = {
  id: string;
  joint_case_id: string;
  round: number;
  status: 'open' | 'supplied';
  items: Json;
  opened_at: Stamp;
  supplied_at: NullableStamp;
};

export type JointEventsTable = {
  id: string;
  joint_case_id: string;
  region_code: string;
  at: Stamp;
  action: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  case_id: OptNull<string>;
  department_id: OptNull<string>;
  reason: OptNull<string>;
};

export type ProjectsTable = {
  id: string;
  code: string;
  name: string;
  investor: string;
  /** bigint: PostgreSQL gives a number (client.ts), PGlite may give a string. */
  investment_fen: ColumnType<number | string, number, number>;
  location: string;
  industry: string;
  region_code: string;
  vip: boolean;
  green_channel: boolean;
  agent_id: string | null;
  negative_code: string | null;
  restriction_approval: string | null;
  target_start_on: CivilDate;
  status: 'active' | 'started' | 'closed';
  created_by: string | null;
  version: Opt<number>;
  created_at: Stamp;
  updated_at: Stamp;
};

export type ProjectApprovalsTable = {
  id: string;
  project_id: string;
  position: number;
  stage: string;
  item_code: string;
  item_name: string;
  department_id: string;
  limit_days: number;
  planned_start: CivilDate;
  planned_due: CivilDate;
  case_id: OptNull<string>;
  joint_case_id: OptNull<string>;
  filed_at: NullableStamp;
};

export type ProjectNotesTable = {
  id: string;
  project_id: string;
  at: Stamp;
  author_id: string | null;
  author_name: string;
  channel: 'visit' | 'phone' | 'meeting' | 'online';
  content: string;
};
