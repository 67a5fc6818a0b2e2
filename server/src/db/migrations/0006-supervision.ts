import type { Migration } from '../migrate.js';

/**
 * Electronic supervision (电子监察). Figures are never recomputed over all cases at read time:
 *
 * - a trigger on `cases` queues every changed case in `sup_dirty` (one row per case, in the changing
 *   transaction, so nothing is lost and a burst of changes to one case is handled once);
 * - the `supervision.consume` job claims queued cases with SKIP LOCKED, recomputes each case's figures
 *   (`sup_case_figures`: working days taken, limits, on-time, on-spot, 容缺 …) and adds the difference to the
 *   daily rollup `sup_daily`, and evaluates the case's alert rules — in one transaction with the dequeue;
 * - the sequence behind `sup_dirty.seq` (and `sup_change_seq` for alerts and cards) is the cheap change
 *   counter every server node polls to push live updates (SSE) without a shared in-memory bus.
 */
export const supervision: Migration = {
  name: '0006-supervision',
  statements: [
    `CREATE TABLE sup_dirty (
      case_id uuid PRIMARY KEY,
      seq bigserial NOT NULL
    )`,
    `CREATE INDEX sup_dirty_seq_idx ON sup_dirty(seq)`,
    `CREATE SEQUENCE sup_change_seq`,
    `CREATE FUNCTION sup_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO sup_dirty (case_id) VALUES (NEW.id) ON CONFLICT (case_id) DO NOTHING;
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER sup_cases_dirty AFTER INSERT OR UPDATE ON cases
      FOR EACH ROW EXECUTE FUNCTION sup_mark_dirty()`,
    /** The board: open cases whose clock counts, by deadline, with the breakdown columns in the index. */
    `CREATE INDEX sup_board_idx ON cases(promised_due_at)
      INCLUDE (department_id, region_code, item_code, hall_id, window_id, assignee_id)
      WHERE status IN ('accepted','approved','denied')`,
    /** Steps past their own limit while the case is still running. */
    `CREATE INDEX sup_step_due_idx ON cases(step_due_at) WHERE status = 'accepted'`,
    /** What one case contributes to the rollups, as last counted. */
    `CREATE TABLE sup_case_figures (
      case_id uuid PRIMARY KEY,
      region_code text NOT NULL,
      department_id uuid NOT NULL,
      item_code text NOT NULL,
      hall_id text NOT NULL,
      window_id text NOT NULL,
      staff_id text NOT NULL,
      received_on date,
      accepted_on date,
      completed_on date,
      pending boolean NOT NULL,
      online boolean NOT NULL,
      prereviewed boolean NOT NULL,
      corrected boolean NOT NULL,
      deficiency boolean NOT NULL,
      immediate_item boolean NOT NULL,
      on_spot boolean NOT NULL,
      on_time boolean NOT NULL,
      timed boolean NOT NULL,
      fully_online boolean NOT NULL,
      legal_days integer NOT NULL,
      promised_days integer NOT NULL,
      days_taken integer NOT NULL,
      days_early integer NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    /** Daily rollup by region, department, item, hall, window and staff ('' where none). */
    `CREATE TABLE sup_daily (
      day date NOT NULL,
      region_code text NOT NULL,
      department_id uuid NOT NULL,
      item_code text NOT NULL,
      hall_id text NOT NULL,
      window_id text NOT NULL,
      staff_id text NOT NULL,
      received integer NOT NULL DEFAULT 0,
      received_online integer NOT NULL DEFAULT 0,
      prereviewed integer NOT NULL DEFAULT 0,
      corrected integer NOT NULL DEFAULT 0,
      pending integer NOT NULL DEFAULT 0,
      accepted integer NOT NULL DEFAULT 0,
      deficiency integer NOT NULL DEFAULT 0,
      completed integer NOT NULL DEFAULT 0,
      on_time integer NOT NULL DEFAULT 0,
      immediate_item integer NOT NULL DEFAULT 0,
      on_spot integer NOT NULL DEFAULT 0,
      fully_online integer NOT NULL DEFAULT 0,
      timed integer NOT NULL DEFAULT 0,
      legal_sum integer NOT NULL DEFAULT 0,
      promised_sum integer NOT NULL DEFAULT 0,
      taken_sum integer NOT NULL DEFAULT 0,
      early_sum integer NOT NULL DEFAULT 0,
      PRIMARY KEY (day, region_code, department_id, item_code, hall_id, window_id, staff_id)
    )`,
    /** Thresholds and assessment weights; one row, edited by supervisors. */
    `CREATE TABLE sup_settings (
      id integer PRIMARY KEY CHECK (id = 1),
      warn_days integer NOT NULL DEFAULT 1,
      off_system_minutes integer NOT NULL DEFAULT 30,
      alert_due_days integer NOT NULL DEFAULT 5,
      card_due_days integer NOT NULL DEFAULT 10,
      weights jsonb NOT NULL,
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES staff(id)
    )`,
    `INSERT INTO sup_settings (id, weights) VALUES (1,
      '{"onTime":1,"alert":1,"yellowCard":5,"redCard":10,"satisfaction":0,"complaint":0}')`,
    `CREATE TABLE sup_alerts (
      id uuid PRIMARY KEY,
      rule text NOT NULL,
      dedupe_key text NOT NULL,
      severity text NOT NULL CHECK (severity IN ('info','warning','serious')),
      status text NOT NULL CHECK (status IN ('raised','acknowledged','rectified','closed')),
      case_id uuid REFERENCES cases(id),
      case_number text,
      item_name text,
      region_code text NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      staff_id uuid REFERENCES staff(id),
      evidence jsonb NOT NULL,
      raised_at timestamptz NOT NULL,
      due_on date NOT NULL,
      acknowledged_at timestamptz,
      acknowledged_by uuid REFERENCES staff(id),
      rectified_at timestamptz,
      rectified_by uuid REFERENCES staff(id),
      rectification_note text,
      rectification_evidence jsonb,
      closed_at timestamptz,
      closed_by uuid REFERENCES staff(id),
      close_note text,
      version integer NOT NULL DEFAULT 1,
      UNIQUE (rule, dedupe_key)
    )`,
    `CREATE INDEX sup_alerts_queue_idx ON sup_alerts(status, raised_at DESC)`,
    `CREATE INDEX sup_alerts_dept_idx ON sup_alerts(department_id, raised_at)`,
    `CREATE INDEX sup_alerts_raised_idx ON sup_alerts(raised_at)`,
    `CREATE INDEX sup_alerts_case_idx ON sup_alerts(case_id)`,
    /** 效能监察 yellow and red cards, to a department or a staff member. */
    `CREATE TABLE sup_cards (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      color text NOT NULL CHECK (color IN ('yellow','red')),
      target_type text NOT NULL CHECK (target_type IN ('department','staff')),
      region_code text NOT NULL,
      department_id uuid NOT NULL REFERENCES departments(id),
      staff_id uuid REFERENCES staff(id),
      reason text NOT NULL,
      alert_ids jsonb NOT NULL DEFAULT '[]',
      status text NOT NULL CHECK (status IN ('issued','rectified','closed')),
      issued_by uuid NOT NULL REFERENCES staff(id),
      issued_at timestamptz NOT NULL,
      rectify_due date NOT NULL,
      rectification_note text,
      rectified_at timestamptz,
      rectified_by uuid REFERENCES staff(id),
      closed_at timestamptz,
      closed_by uuid REFERENCES staff(id),
      version integer NOT NULL DEFAULT 1
    )`,
    `CREATE INDEX sup_cards_dept_idx ON sup_cards(department_id, issued_at)`,
    `CREATE INDEX sup_cards_issued_idx ON sup_cards(issued_at)`,
    /**
     * Fees charged on a case (集中收费), as supervision audits them against the fee list. The fee module
     * writes them; supervision only reads.
     */
    `CREATE TABLE case_fees (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES cases(id),
      region_code text NOT NULL,
      fee_code text NOT NULL,
      fee_name text NOT NULL,
      amount_fen integer NOT NULL CHECK (amount_fen >= 0),
      charged_at timestamptz NOT NULL DEFAULT now(),
      charged_by uuid REFERENCES staff(id)
    )`,
    `CREATE INDEX case_fees_case_idx ON case_fees(case_id)`,
    `CREATE FUNCTION sup_mark_fee_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO sup_dirty (case_id) VALUES (NEW.case_id) ON CONFLICT (case_id) DO NOTHING;
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER sup_case_fees_dirty AFTER INSERT ON case_fees
      FOR EACH ROW EXECUTE FUNCTION sup_mark_fee_dirty()`,
  ],
};
