import type { Migration } from '../migrate.js';

/**
 * The transactional outbox, background jobs and notifications (see docs/decisions/2026-11-21-jobs-outbox.md).
 *
 * Every queue here is a table claimed with `FOR UPDATE SKIP LOCKED`, so any number of server nodes share it
 * and no row is worked twice at once. Times that decide when work is due are written from the platform
 * clock (platform/clock.ts), so tests and the demo can move time forward and see deadlines fire.
 */
export const outbox: Migration = {
  name: '0003-outbox',
  statements: [
    /** Written in the transaction of the change it reports; leaves only after that commits. */
    `CREATE TABLE outbox_events (
      id uuid PRIMARY KEY,
      type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      region_code text NOT NULL,
      payload jsonb NOT NULL,
      recipients jsonb NOT NULL DEFAULT '[]',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','dispatched','failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      dispatched_at timestamptz
    )`,
    `CREATE INDEX outbox_events_pending_idx ON outbox_events(next_attempt_at) WHERE status = 'pending'`,
    `CREATE INDEX outbox_events_aggregate_idx ON outbox_events(aggregate_type, aggregate_id)`,
    /** What a recipient wants: language and e-mail address. The mobile number stays on the account. */
    `CREATE TABLE contact_preferences (
      account_type text NOT NULL CHECK (account_type IN ('staff','applicant')),
      account_id uuid NOT NULL,
      locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN','en-US')),
      email text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (account_type, account_id)
    )`,
    /**
     * One message to one recipient on one channel for one event: the unique key is what makes delivery
     * at-least-once upstream and exactly-once here. `address` (mobile or e-mail) is kept for sending and
     * never leaves the server unmasked.
     */
    `CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      event_id uuid NOT NULL REFERENCES outbox_events(id),
      event_type text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('sms','email','inapp')),
      recipient_key text NOT NULL,
      account_type text CHECK (account_type IN ('staff','applicant')),
      account_id uuid,
      address text,
      locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN','en-US')),
      region_code text NOT NULL,
      subject text,
      body text NOT NULL,
      idempotency_key text NOT NULL UNIQUE,
      status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending','sending','retry','sent','failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      locked_by text,
      locked_until timestamptz,
      provider text,
      provider_message_id text,
      last_error text,
      sent_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (event_id, channel, recipient_key),
      CHECK (channel = 'inapp' OR address IS NOT NULL)
    )`,
    `CREATE INDEX notifications_due_idx ON notifications(next_attempt_at)
      WHERE status IN ('pending','retry','sending')`,
    `CREATE INDEX notifications_region_idx ON notifications(region_code, created_at DESC)`,
    `CREATE INDEX notifications_channel_idx ON notifications(channel, status, created_at DESC)`,
    /** 站内信: the in-app inbox of a staff member or an applicant. */
    `CREATE TABLE messages (
      id uuid PRIMARY KEY,
      account_type text NOT NULL CHECK (account_type IN ('staff','applicant')),
      account_id uuid NOT NULL,
      notification_id uuid NOT NULL UNIQUE REFERENCES notifications(id),
      event_type text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      link text,
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    )`,
    `CREATE INDEX messages_account_idx ON messages(account_type, account_id, created_at DESC)`,
    `CREATE INDEX messages_unread_idx ON messages(account_type, account_id) WHERE read_at IS NULL`,
    /** A job due at a time (deemed approval, art. 32 acceptance, …); one unstarted job per (name, key). */
    `CREATE TABLE jobs (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      singleton_key text,
      payload jsonb NOT NULL DEFAULT '{}',
      run_at timestamptz NOT NULL,
      status text NOT NULL DEFAULT 'scheduled'
        CHECK (status IN ('scheduled','running','done','failed','cancelled')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 5,
      locked_by text,
      locked_until timestamptz,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`,
    `CREATE UNIQUE INDEX jobs_singleton_idx ON jobs(name, singleton_key)
      WHERE singleton_key IS NOT NULL AND status = 'scheduled'`,
    `CREATE INDEX jobs_due_idx ON jobs(run_at) WHERE status IN ('scheduled','running')`,
    /** Periodic jobs: one row per name, claimed by one node per period. */
    `CREATE TABLE job_schedules (
      name text PRIMARY KEY,
      every_seconds integer NOT NULL CHECK (every_seconds > 0),
      next_run_at timestamptz NOT NULL,
      locked_by text,
      locked_until timestamptz,
      runs bigint NOT NULL DEFAULT 0,
      last_started_at timestamptz,
      last_finished_at timestamptz,
      last_error text
    )`,
  ],
};
