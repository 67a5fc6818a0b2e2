import { sql } from 'kysely';
import type { Db } from './client.js';

/**
 * Reads that tolerate a little lag — publicity and statistics: the public catalog search and guides, the
 * public progress query, supervision figures — may go to a streaming replica (READ_DATABASE_URL). Everything
 * else, and every write, uses the primary. A route opts in explicitly with `readDbOf(ctx)`; without a replica
 * that is the primary itself, so the code is the same either way.
 */
export function readDbOf(ctx: { db: Db; readDb?: Db }): Db {
  return ctx.readDb ?? ctx.db;
}

export type ReplicaLag = {
  /** The replica answers and is in recovery (a standby). */
  up: boolean;
  /** Time since the last replayed commit, 0 when it has replayed everything it received. */
  seconds: number;
  /** WAL the primary has written that the replica has not replayed yet. */
  bytes: number;
};

/**
 * How far the replica is behind the primary, for /metrics. Bytes: the primary's WAL position less what the
 * replica has replayed. Seconds: 0 when nothing is outstanding, else the age of the last commit the replica
 * replayed (how old the data it serves may be).
 */
export async function replicaLag(primary: Db, replica: Db): Promise<ReplicaLag> {
  try {
    const r = await sql<{ standby: boolean; age: number | null; lsn: string | null }>`SELECT
        pg_is_in_recovery() AS standby,
        EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 AS age,
        pg_last_wal_replay_lsn()::text AS lsn`.execute(replica);
    const row = r.rows[0];
    if (!row?.standby || !row.lsn) return { up: false, seconds: 0, bytes: 0 };
    const p = await sql<{ bytes: number }>`SELECT
        greatest(pg_wal_lsn_diff(pg_current_wal_lsn(), ${row.lsn}::pg_lsn), 0)::float8 AS bytes`.execute(
      primary,
    );
    const bytes = Number(p.rows[0]?.bytes ?? 0);
    return { up: true, seconds: bytes > 0 ? Math.max(0, Number(row.age ?? 0)) : 0, bytes };
  } catch {
    return { up: false, seconds: 0, bytes: 0 };
  }
}
