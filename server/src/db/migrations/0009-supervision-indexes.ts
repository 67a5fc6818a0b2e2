import type { Migration } from '../migrate.js';

const counters = [
  'received',
  'received_online',
  'prereviewed',
  'corrected',
  'pending',
  'accepted',
  'deficiency',
  'completed',
  'on_time',
  'immediate_item',
  'on_spot',
  'fully_online',
  'timed',
  'legal_sum',
  'promised_sum',
  'taken_sum',
  'early_sum',
];

/**
 * Supervision read paths at scale.
 *
 * - `sup_monthly`: the daily rollup summed per calendar month, kept by the consumer in the transaction that
 *   updates `sup_daily` (and rebuilt with it by the backfill). A year of figures, a trend by month and a
 *   year's assessment read twelve rows per key instead of 365 (PGlite at 100,000 cases: 111–222 ms before).
 *   Filled here from the daily rollup already there.
 * - `sup_board_waiting_idx`: the board's second count (suspended, and received but not yet accepted) read
 *   the whole `(region_code, status)` index and visited the heap for every row (57 ms at 1,000,000 cases);
 *   this partial index holds only those ~15k rows and answers it by an index-only scan (2 ms).
 *
 * The board's own count by deadline already has its partial covering index (`sup_board_idx`, 0006). At
 * 1,000,000 cases its 32k open rows lie on ~25k heap pages; read by a bitmap heap scan (no visibility map
 * right after a bulk load) that is 184 ms, by an index-only scan once vacuumed 12 ms (EXPLAIN in
 * docs/decisions/2026-11-21-supervision.md).
 */
export const supervisionIndexes: Migration = {
  name: '0009-supervision-indexes',
  statements: [
    `CREATE TABLE sup_monthly (
      month date NOT NULL,
      region_code text NOT NULL,
      department_id uuid NOT NULL,
      item_code text NOT NULL,
      hall_id text NOT NULL,
      window_id text NOT NULL,
      staff_id text NOT NULL,
      ${counters.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n      ')},
      PRIMARY KEY (month, region_code, department_id, item_code, hall_id, window_id, staff_id)
    )`,
    `INSERT INTO sup_monthly (month, region_code, department_id, item_code, hall_id, window_id, staff_id,
      ${counters.join(', ')})
    SELECT date_trunc('month', day::timestamp)::date, region_code, department_id, item_code, hall_id,
      window_id, staff_id, ${counters.map((c) => `sum(${c})`).join(', ')}
    FROM sup_daily
    GROUP BY 1, region_code, department_id, item_code, hall_id, window_id, staff_id`,
    `CREATE INDEX sup_board_waiting_idx ON cases(region_code, status)
      WHERE status IN ('suspended','submitted','registered','correcting')`,
  ],
};
