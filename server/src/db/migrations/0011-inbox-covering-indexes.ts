import type { Migration } from '../migrate.js';

/**
 * The staff case lists (inbox, department, mine) read the cases of a department, and those a staff member
 * registered or files as agent, in some statuses, sorted by promised deadline then creation. With the sort
 * keys, the id, the step and the warning day in these indexes each part is an index-only scan: the list's total and its page
 * come from the indexes, and only the page's twenty rows from the table (cases/queries.ts, listStaffCases).
 */
export const inboxCoveringIndexes: Migration = {
  name: '0011-inbox-covering-indexes',
  statements: [
    `DROP INDEX cases_inbox_idx`,
    `CREATE INDEX cases_inbox_idx ON cases(department_id, status, promised_due_at, created_at) INCLUDE (id, step_role, warn_at)`,
    `DROP INDEX cases_registered_by_idx`,
    `CREATE INDEX cases_registered_by_idx ON cases(registered_by, status)
       INCLUDE (promised_due_at, created_at, id, step_role, warn_at) WHERE registered_by IS NOT NULL`,
    `DROP INDEX cases_proxy_agent_idx`,
    `CREATE INDEX cases_proxy_agent_idx ON cases(proxy_agent_id, status)
       INCLUDE (promised_due_at, created_at, id, step_role, warn_at) WHERE proxy_agent_id IS NOT NULL`,
  ],
};
