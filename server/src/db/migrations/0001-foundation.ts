import type { Migration } from '../migrate.js';

/**
 * Organisation, accounts, access and audit: the ground every later module stands on.
 * Region codes are GB/T 2260-style strings; every region-scoped table carries `region_code` so the
 * schema can later be distributed by region without a rewrite.
 */
export const foundation: Migration = {
  name: '0001-foundation',
  statements: [
    `CREATE TABLE regions (
      code text PRIMARY KEY,
      name text NOT NULL,
      level text NOT NULL CHECK (level IN ('province','city','district','township','village')),
      parent_code text REFERENCES regions(code),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX regions_parent_idx ON regions(parent_code)`,
    `CREATE TABLE departments (
      id uuid PRIMARY KEY,
      region_code text NOT NULL REFERENCES regions(code),
      name text NOT NULL,
      short_name text NOT NULL,
      uscc text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (region_code, name)
    )`,
    `CREATE TABLE halls (
      id uuid PRIMARY KEY,
      region_code text NOT NULL REFERENCES regions(code),
      name text NOT NULL,
      level text NOT NULL CHECK (level IN ('district_centre','sub_centre','township_centre','village_station')),
      address text NOT NULL DEFAULT '',
      hours text NOT NULL DEFAULT '',
      phone text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (region_code, name)
    )`,
    `CREATE TABLE windows (
      id uuid PRIMARY KEY,
      hall_id uuid NOT NULL REFERENCES halls(id),
      region_code text NOT NULL REFERENCES regions(code),
      number text NOT NULL,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('comprehensive','departmental')),
      department_id uuid REFERENCES departments(id),
      categories text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (hall_id, number),
      CHECK (kind <> 'departmental' OR department_id IS NOT NULL)
    )`,
    `CREATE TABLE staff (
      id uuid PRIMARY KEY,
      username text NOT NULL UNIQUE,
      display_name text NOT NULL,
      password_hash text NOT NULL,
      mobile text,
      department_id uuid REFERENCES departments(id),
      region_code text NOT NULL REFERENCES regions(code),
      active boolean NOT NULL DEFAULT true,
      absent boolean NOT NULL DEFAULT false,
      absent_note text NOT NULL DEFAULT '',
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX staff_department_idx ON staff(department_id)`,
    `CREATE INDEX staff_region_idx ON staff(region_code)`,
    `CREATE TABLE staff_roles (
      id uuid PRIMARY KEY,
      staff_id uuid NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('window_clerk','reviewer','approver','hall_admin','supervisor',
        'hotline_operator','proxy_agent','sys_admin')),
      department_id uuid REFERENCES departments(id),
      region_code text REFERENCES regions(code),
      created_at timestamptz NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX staff_roles_staff_idx ON staff_roles(staff_id)`,
    `CREATE TABLE applicants (
      id uuid PRIMARY KEY,
      mobile text NOT NULL UNIQUE,
      password_hash text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('person','enterprise')),
      name text NOT NULL,
      id_number text,
      uscc text,
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      password_changed_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((kind = 'person' AND id_number IS NOT NULL) OR (kind = 'enterprise' AND uscc IS NOT NULL))
    )`,
    `CREATE UNIQUE INDEX applicants_id_number_idx ON applicants(id_number) WHERE id_number IS NOT NULL`,
    `CREATE UNIQUE INDEX applicants_uscc_idx ON applicants(uscc) WHERE uscc IS NOT NULL`,
    `CREATE TABLE sessions (
      id text PRIMARY KEY,
      account_type text NOT NULL CHECK (account_type IN ('staff','applicant')),
      account_id uuid NOT NULL,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`,
    `CREATE INDEX sessions_account_idx ON sessions(account_type, account_id)`,
    `CREATE TABLE api_tokens (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      region_code text NOT NULL REFERENCES regions(code),
      token_hash text NOT NULL UNIQUE,
      prefix text NOT NULL,
      created_by uuid NOT NULL REFERENCES staff(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      last_used_at timestamptz
    )`,
    `CREATE TABLE authorization_letters (
      id uuid PRIMARY KEY,
      department_id uuid NOT NULL REFERENCES departments(id),
      region_code text NOT NULL REFERENCES regions(code),
      staff_id uuid NOT NULL REFERENCES staff(id),
      actions text[] NOT NULL,
      scope text NOT NULL CHECK (scope IN ('all','items')),
      item_codes text[] NOT NULL DEFAULT '{}',
      valid_from date NOT NULL,
      valid_until date,
      revoked_at timestamptz,
      revoke_reason text,
      created_by uuid NOT NULL REFERENCES staff(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (valid_until IS NULL OR valid_until >= valid_from)
    )`,
    `CREATE INDEX authorization_letters_staff_idx ON authorization_letters(staff_id)`,
    `CREATE INDEX authorization_letters_department_idx ON authorization_letters(department_id)`,
    /** AB 岗: the backup may act for the primary while the primary is marked absent. */
    `CREATE TABLE ab_posts (
      id uuid PRIMARY KEY,
      department_id uuid NOT NULL REFERENCES departments(id),
      region_code text NOT NULL REFERENCES regions(code),
      primary_staff_id uuid NOT NULL REFERENCES staff(id),
      backup_staff_id uuid NOT NULL REFERENCES staff(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (primary_staff_id, backup_staff_id),
      CHECK (primary_staff_id <> backup_staff_id)
    )`,
    `CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      actor_type text NOT NULL,
      actor_id text,
      actor_name text NOT NULL,
      actor_role text,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text,
      region_code text,
      before jsonb,
      after jsonb,
      reason text,
      via_backup_of text,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`,
    `CREATE INDEX audit_log_target_idx ON audit_log(target_type, target_id)`,
    `CREATE INDEX audit_log_actor_idx ON audit_log(actor_id)`,
    `CREATE TABLE idempotency_keys (
      actor text NOT NULL,
      key text NOT NULL,
      method text NOT NULL,
      path text NOT NULL,
      status integer NOT NULL,
      body jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (actor, key)
    )`,
    /** Local holidays and extra working days per region, and whole years loaded by an administrator. */
    `CREATE TABLE calendar_overrides (
      id uuid PRIMARY KEY,
      region_code text NOT NULL REFERENCES regions(code),
      date date NOT NULL,
      workday boolean NOT NULL,
      note text NOT NULL DEFAULT '',
      created_by uuid REFERENCES staff(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (region_code, date)
    )`,
    `CREATE TABLE calendar_years (
      region_code text NOT NULL REFERENCES regions(code),
      year integer NOT NULL,
      note text NOT NULL DEFAULT '',
      created_by uuid REFERENCES staff(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (region_code, year)
    )`,
  ],
};
