import type { Migration } from '../migrate.js';

/**
 * The audit chain is linked after commit (docs/decisions/2026-11-21-audit-chain.md): a write inserts its audit
 * row in its own transaction, unlinked; one chainer at a time gives rows their place in the chain
 * (`chain_seq`), the previous row's hash and their own. Rows written before this migration are already
 * linked; they get their place in id order.
 */
export const auditChain: Migration = {
  name: '0007-audit-chain',
  statements: [
    `ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL`,
    `ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL`,
    `ALTER TABLE audit_log ADD COLUMN chain_seq bigint`,
    `UPDATE audit_log SET chain_seq = id`,
    `CREATE UNIQUE INDEX audit_log_chain_idx ON audit_log(chain_seq)`,
    `CREATE INDEX audit_log_unchained_idx ON audit_log(id) WHERE chain_seq IS NULL`,
  ],
};
