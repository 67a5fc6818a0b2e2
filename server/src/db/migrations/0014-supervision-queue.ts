import type { Migration } from '../migrate.js';

/**
 * The supervision queue takes every change as a new row instead of one row per case. With `case_id` as the
 * key, the trigger's `INSERT … ON CONFLICT DO NOTHING` had to wait, inside the case's own transaction, for
 * any consumer holding that case's row (claimed, deleted, not yet committed) — an action on a case still
 * moving through the hall waited for a whole consumer batch (measured: a quarter of the samples of active
 * statements under the lifecycle load). Now the trigger only appends; the consumer takes the oldest rows,
 * counts each case once per batch, and consumers take turns (an advisory lock in supervision/consume.ts) so
 * two never count one case at once.
 */
export const supervisionQueue: Migration = {
  name: '0014-supervision-queue',
  statements: [
    `ALTER TABLE sup_dirty DROP CONSTRAINT sup_dirty_pkey`,
    `ALTER TABLE sup_dirty ADD PRIMARY KEY (seq)`,
    `DROP INDEX sup_dirty_seq_idx`,
    `CREATE OR REPLACE FUNCTION sup_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO sup_dirty (case_id) VALUES (NEW.id);
      RETURN NULL;
    END $$`,
    `CREATE OR REPLACE FUNCTION sup_mark_fee_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO sup_dirty (case_id) VALUES (NEW.case_id);
      RETURN NULL;
    END $$`,
  ],
};
