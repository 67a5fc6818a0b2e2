import type { Migration } from '../migrate.js';

/**
 * The statutory jobs look for the few cases that need them now: deemed approvals (every 10 minutes), yellow
 * warnings and 容缺 reminders (every 5). Without an index of their own, at 1,000,000 cases the first read
 * all ~37,000 accepted cases (480 ms) and the reminders scanned the whole table with two parallel workers
 * (460 ms on both cores of a 2-core machine: every request waited meanwhile). Each index holds only the rows
 * its job is waiting for, so it stays small and a case leaves it when the job has handled it.
 */
export const caseJobIndexes: Migration = {
  name: '0015-case-job-indexes',
  statements: [
    `CREATE INDEX cases_deemed_due_idx ON cases(promised_due_at)
       WHERE status = 'accepted' AND deemed_allowed AND NOT deficiency_pending`,
    `CREATE INDEX cases_warn_due_idx ON cases(warn_at) WHERE status = 'accepted' AND NOT warning_sent`,
    `CREATE INDEX cases_deficiency_due_idx ON cases(deficiency_due) WHERE deficiency_pending AND NOT deficiency_notified`,
  ],
};
