import type { Migration } from '../migrate.js';

/**
 * Cases (办件): one row per case with its clock stored as instants (`promised_due_at`, `warn_at`) so that
 * inboxes and supervision read them through indexes; the timeline, materials and documents beside it. Every
 * table carries `region_code` for a later distribution by region.
 */
export const cases: Migration = {
  name: '0004-cases',
  statements: [
    `CREATE TABLE files (
      sha256 text PRIMARY KEY,
      size integer NOT NULL,
      mime text NOT NULL,
      kind text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    /** 统一发号: one counter per region and day; the row lock orders numbers within a region-day. */
    `CREATE TABLE case_number_counters (
      region_code text NOT NULL,
      day date NOT NULL,
      last integer NOT NULL,
      PRIMARY KEY (region_code, day)
    )`,
    `CREATE TABLE cases (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      region_code text NOT NULL REFERENCES regions(code),
      item_version_id uuid NOT NULL REFERENCES catalog_versions(id),
      item_code text NOT NULL,
      item_name text NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      hall_id uuid REFERENCES halls(id),
      window_id uuid REFERENCES windows(id),
      channel text NOT NULL CHECK (channel IN ('online','window','proxy','api')),
      status text NOT NULL,
      case_kind text NOT NULL CHECK (case_kind IN ('immediate','promised')),
      step_index integer NOT NULL DEFAULT 0,
      step_name text,
      step_role text,
      step_started_at timestamptz,
      step_due_at timestamptz,
      applicant_account_id uuid REFERENCES applicants(id),
      applicant_kind text NOT NULL CHECK (applicant_kind IN ('person','enterprise')),
      applicant_name text NOT NULL,
      applicant_id_number text,
      applicant_uscc text,
      applicant_mobile text NOT NULL,
      applicant_email text,
      applicant_locale text NOT NULL DEFAULT 'zh-CN',
      proxy_agent_id uuid REFERENCES staff(id),
      registered_by uuid REFERENCES staff(id),
      assignee_id uuid REFERENCES staff(id),
      form jsonb NOT NULL DEFAULT '{}',
      promised_days integer NOT NULL,
      legal_days integer NOT NULL,
      warn_days integer NOT NULL DEFAULT 1,
      received_at timestamptz,
      accepted_at timestamptz,
      accepted_on date,
      promised_due date,
      legal_due date,
      promised_due_at timestamptz,
      legal_due_at timestamptz,
      warn_at timestamptz,
      due_provisional boolean NOT NULL DEFAULT false,
      suspended_at timestamptz,
      suspended_on date,
      suspension_kind text,
      extended_days integer NOT NULL DEFAULT 0,
      deficiency_pending boolean NOT NULL DEFAULT false,
      deficiency_due date,
      correction_count integer NOT NULL DEFAULT 0,
      auto_accepted boolean NOT NULL DEFAULT false,
      deemed_approved boolean NOT NULL DEFAULT false,
      on_commitment boolean NOT NULL DEFAULT false,
      deemed_allowed boolean NOT NULL DEFAULT false,
      warning_sent boolean NOT NULL DEFAULT false,
      deficiency_notified boolean NOT NULL DEFAULT false,
      decision text CHECK (decision IN ('approved','denied')),
      decided_at timestamptz,
      completed_at timestamptz,
      completed_on_spot boolean NOT NULL DEFAULT false,
      delivered_at timestamptz,
      delivery_method text CHECK (delivery_method IN ('pickup','mail','download')),
      tracking_number text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX cases_inbox_idx ON cases(department_id, status, promised_due_at)`,
    `CREATE INDEX cases_applicant_idx ON cases(applicant_account_id, created_at DESC)`,
    `CREATE INDEX cases_region_idx ON cases(region_code, status)`,
    `CREATE INDEX cases_created_idx ON cases(created_at)`,
    /** Open cases by deadline: warnings, deemed approvals and the supervision board read this. */
    `CREATE INDEX cases_open_due_idx ON cases(promised_due_at)
      WHERE status IN ('accepted','suspended')`,
    /** Art. 32: received but not decided. */
    `CREATE INDEX cases_pending_acceptance_idx ON cases(received_at)
      WHERE status IN ('submitted','registered')`,
    `CREATE TABLE case_events (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id),
      region_code text NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      action text NOT NULL,
      from_status text,
      to_status text NOT NULL,
      step_name text,
      actor_type text NOT NULL,
      actor_id text,
      actor_name text NOT NULL,
      via_backup_of text,
      reason text,
      data jsonb
    )`,
    `CREATE INDEX case_events_case_idx ON case_events(case_id, at)`,
    `CREATE TABLE case_materials (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id),
      region_code text NOT NULL,
      position integer NOT NULL,
      name text NOT NULL,
      required boolean NOT NULL,
      allow_deficiency boolean NOT NULL DEFAULT false,
      status text NOT NULL CHECK (status IN ('provided','missing','deficient','deferred')),
      file_sha256 text REFERENCES files(sha256),
      file_name text,
      note text,
      supplied_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (case_id, name)
    )`,
    `CREATE TABLE case_documents (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id),
      region_code text NOT NULL,
      kind text NOT NULL,
      title text NOT NULL,
      /** The document as issued (text, date, QR target); the PDF is rendered from it on first download. */
      content jsonb NOT NULL,
      file_sha256 text REFERENCES files(sha256),
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX case_documents_case_idx ON case_documents(case_id, created_at)`,
    /** 一次提供、多次使用: what an applicant has handed in once, to reuse in later cases. */
    `CREATE TABLE applicant_materials (
      id uuid PRIMARY KEY,
      applicant_id uuid NOT NULL REFERENCES applicants(id),
      name text NOT NULL,
      file_sha256 text NOT NULL REFERENCES files(sha256),
      file_name text NOT NULL,
      kind text NOT NULL,
      size integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (applicant_id, file_sha256, name)
    )`,
    /** 告知承诺: approval on commitment leaves a post-verification task with its own deadline. */
    `CREATE TABLE post_verifications (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id),
      region_code text NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      due_on date NOT NULL,
      status text NOT NULL CHECK (status IN ('open','verified','failed')),
      note text,
      done_at timestamptz,
      done_by uuid REFERENCES staff(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX post_verifications_open_idx ON post_verifications(department_id, due_on) WHERE status = 'open'`,
  ],
};
