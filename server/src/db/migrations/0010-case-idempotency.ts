import type { Migration } from '../migrate.js';

/**
 * A registration's Idempotency-Key (with the caller it belongs to) is kept on the case it created, in the
 * registering transaction, so a retry finds the case even when the node that created it died before it could
 * answer, and two nodes receiving the same key at once create one case (the unique index decides).
 */
export const caseIdempotency: Migration = {
  name: '0010-case-idempotency',
  statements: [
    `ALTER TABLE cases ADD COLUMN idempotency_key text`,
    `CREATE UNIQUE INDEX cases_idempotency_idx ON cases(idempotency_key) WHERE idempotency_key IS NOT NULL`,
  ],
};
