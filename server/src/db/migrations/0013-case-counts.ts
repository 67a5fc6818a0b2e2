import type { Migration } from '../migrate.js';

/** A statement trigger's function: the cases of a transition table counted in (1) or out (-1). */
function countsFromTable(name: string, table: 'added' | 'removed', sign: 1 | -1): string {
  return `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO case_counts AS k (department_id, status, step_role, slot, n)
        SELECT department_id, status, coalesce(step_role, ''), pg_backend_pid(), ${sign} * count(*)::int
        FROM ${table} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (department_id, status, step_role, slot) DO UPDATE SET n = k.n + excluded.n;
      RETURN NULL;
    END $$`;
}

/**
 * How many cases each department has in each status (and, for running cases, at each step role), kept by
 * triggers in the transaction that changes a case, so a staff list's total is a sum of a few rows instead of
 * a count of thousands of index entries (a clerk's inbox at a million cases holds ~3,000 results awaiting
 * pickup). Exact at every snapshot: the count moves in the same transaction as the case.
 *
 * A row per server connection (`slot` = the backend's process id), so two transactions never wait on each
 * other's counter row nor deadlock over two of them; a reader sums the slots. The periodic job
 * `cases.compact-counts` folds the rows of backends that have gone into slot 0 (cases/jobs.ts).
 *
 * The inbox index now orders `created_at` newest first, as the lists do, so a list page is read from each
 * (department, status) in order and stops after the page; the registered-by and agent indexes carry the
 * department for the lists' "outside my departments" part.
 */
export const caseCounts: Migration = {
  name: '0013-case-counts',
  statements: [
    `CREATE TABLE case_counts (
      department_id uuid NOT NULL,
      status text NOT NULL,
      step_role text NOT NULL,
      slot integer NOT NULL,
      n integer NOT NULL,
      PRIMARY KEY (department_id, status, step_role, slot)
    ) WITH (fillfactor = 50)`,
    `INSERT INTO case_counts (department_id, status, step_role, slot, n)
      SELECT department_id, status, coalesce(step_role, ''), 0, count(*)::int FROM cases GROUP BY 1, 2, 3`,
    // Rows are added in key order, so two statements lock counter rows in the same order.
    countsFromTable('case_counts_inserted', 'added', 1),
    countsFromTable('case_counts_deleted', 'removed', -1),
    `CREATE FUNCTION case_counts_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO case_counts AS k (department_id, status, step_role, slot, n)
        SELECT d, s, r, pg_backend_pid(), sum(v)::int
        FROM (VALUES (OLD.department_id, OLD.status, coalesce(OLD.step_role, ''), -1),
                     (NEW.department_id, NEW.status, coalesce(NEW.step_role, ''), 1)) x(d, s, r, v)
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (department_id, status, step_role, slot) DO UPDATE SET n = k.n + excluded.n;
      RETURN NULL;
    END $$`,
    `CREATE FUNCTION case_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM case_counts;
      RETURN NULL;
    END $$`,
    `CREATE TRIGGER case_counts_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS added
      FOR EACH STATEMENT EXECUTE FUNCTION case_counts_inserted()`,
    `CREATE TRIGGER case_counts_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS removed
      FOR EACH STATEMENT EXECUTE FUNCTION case_counts_deleted()`,
    `CREATE TRIGGER case_counts_update AFTER UPDATE OF department_id, status, step_role ON cases FOR EACH ROW
      WHEN (OLD.department_id IS DISTINCT FROM NEW.department_id OR OLD.status IS DISTINCT FROM NEW.status
        OR OLD.step_role IS DISTINCT FROM NEW.step_role)
      EXECUTE FUNCTION case_counts_moved()`,
    `CREATE TRIGGER case_counts_truncate AFTER TRUNCATE ON cases FOR EACH STATEMENT
      EXECUTE FUNCTION case_counts_truncated()`,
    `DROP INDEX cases_inbox_idx`,
    `CREATE INDEX cases_inbox_idx ON cases(department_id, status, promised_due_at, created_at DESC)
      INCLUDE (id, step_role, warn_at)`,
    `DROP INDEX cases_registered_by_idx`,
    `CREATE INDEX cases_registered_by_idx ON cases(registered_by, status)
       INCLUDE (department_id, promised_due_at, created_at, id, step_role, warn_at) WHERE registered_by IS NOT NULL`,
    `DROP INDEX cases_proxy_agent_idx`,
    `CREATE INDEX cases_proxy_agent_idx ON cases(proxy_agent_id, status)
       INCLUDE (department_id, promised_due_at, created_at, id, step_role, warn_at) WHERE proxy_agent_id IS NOT NULL`,
  ],
};
