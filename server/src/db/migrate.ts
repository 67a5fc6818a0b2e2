import { type Kysely, sql } from 'kysely';
import { foundation } from './migrations/0001-foundation.js';
import { catalog } from './migrations/0002-catalog.js';
import { outbox } from './migrations/0003-outbox.js';
import { cases } from './migrations/0004-cases.js';
import { joint } from './migrations/0005-joint.js';
import { supervision } from './migrations/0006-supervision.js';
import { auditChain } from './migrations/0007-audit-chain.js';
import { caseListIndexes } from './migrations/0008-case-list-indexes.js';
import { supervisionIndexes } from './migrations/0009-supervision-indexes.js';
import { caseIdempotency } from './migrations/0010-case-idempotency.js';
import { inboxCoveringIndexes } from './migrations/0011-inbox-covering-indexes.js';
import { rateLimits } from './migrations/0012-rate-limits.js';
import { caseCounts } from './migrations/0013-case-counts.js';
import { supervisionQueue } from './migrations/0014-supervision-queue.js';
import { caseJobIndexes } from './migrations/0015-case-job-indexes.js';
import type { Database } from './types.js';

/** A migration is an ordered list of SQL statements run in one transaction. */
export type Migration = { name: string; statements: string[] };

/** Every migration, in order. Append only: a migration that has run is never edited. */
export const migrations: Migration[] = [
  foundation,
  catalog,
  outbox,
  cases,
  joint,
  supervision,
  auditChain,
  caseListIndexes,
  supervisionIndexes,
  caseIdempotency,
  inboxCoveringIndexes,
  rateLimits,
  caseCounts,
  supervisionQueue,
  caseJobIndexes,
];

export async function migrate(db: Kysely<Database>): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction().execute(async (trx) => {
      // One node migrates at a time when several start together.
      await sql`SELECT pg_advisory_xact_lock(7242001)`.execute(trx);
      const done = await sql<{
        name: string;
      }>`SELECT name FROM schema_migrations WHERE name = ${migration.name}`.execute(trx);
      if (done.rows.length > 0) return false;
      for (const statement of migration.statements) {
        await sql.raw(statement).execute(trx);
      }
      await sql`INSERT INTO schema_migrations (name) VALUES (${migration.name})`.execute(trx);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
