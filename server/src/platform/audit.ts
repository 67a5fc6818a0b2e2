import { createHash } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import type { AuditLogTable } from '../db/types.js';
import { type Actor, primaryRole } from './actor.js';
import type { Tx } from './tx.js';

export type AuditEntry = {
  action: string;
  targetType: string;
  targetId?: string | null;
  regionCode?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  /** AB 岗: the absent primary this actor acted for. */
  viaBackupOf?: string | null;
  /** Overrides the role recorded (default: the actor's roles). */
  role?: string | null;
};

const GENESIS = '0'.repeat(64);
const AUDIT_LOCK = 7242002;

/** JSON with sorted keys, so the hash does not depend on how jsonb reorders an object. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type HashedFields = {
  at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  actor_role: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  region_code: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  via_backup_of: string | null;
};

export function auditHash(prevHash: string, row: HashedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update('|')
    .update(canonicalJson({ ...row, at: row.at.toISOString() }))
    .digest('hex');
}

/** Drop secrets and keep the summary small: audit rows say what changed, not every byte. */
function summarise(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, (key, v) =>
      key === 'password_hash' || key === 'token_hash' || key === 'password' ? undefined : v,
    ),
  );
}

/**
 * Append one audit row. Call it inside the transaction that makes the change: the row commits or rolls back
 * with it. The row is linked into the hash chain after commit by `chainAudit` (a periodic job, and before
 * every verification), so concurrent writers never queue behind one lock while they commit.
 */
export async function recordAudit(trx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await trx.insertInto('audit_log').values(auditInsert(actor, entry)).execute();
}

/**
 * The audit row `recordAudit` writes, for a caller that writes it as part of a larger statement (a case
 * action's one-statement write): same rules, same row.
 */
export function auditInsert(actor: Actor, entry: AuditEntry): Insertable<AuditLogTable> {
  const row = auditRow(actor, entry);
  return {
    ...row,
    before: row.before === null ? null : JSON.stringify(row.before),
    after: row.after === null ? null : JSON.stringify(row.after),
  };
}

function auditRow(actor: Actor, entry: AuditEntry): HashedFields {
  return {
    at: new Date(),
    actor_type: actor.type,
    actor_id: actor.id,
    actor_name: actor.displayName,
    actor_role: entry.role !== undefined ? entry.role : primaryRole(actor),
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId ?? null,
    region_code: entry.regionCode ?? null,
    before: summarise(entry.before),
    after: summarise(entry.after),
    reason: entry.reason ?? null,
    via_backup_of: entry.viaBackupOf ?? null,
  };
}

function hashedFieldsOf(r: Selectable<AuditLogTable>): HashedFields {
  return {
    at: r.at,
    actor_type: r.actor_type,
    actor_id: r.actor_id,
    actor_name: r.actor_name,
    actor_role: r.actor_role,
    action: r.action,
    target_type: r.target_type,
    target_id: r.target_id,
    region_code: r.region_code,
    before: r.before,
    after: r.after,
    reason: r.reason,
    via_backup_of: r.via_backup_of,
  };
}

/**
 * Link committed, unlinked audit rows into the chain, in id order, up to `batch` rows per transaction; returns
 * how many were linked. One chainer at a time (advisory lock): on several nodes the others wait and then find
 * nothing left. A row that commits late with a lower id simply takes the next place in the chain.
 */
export async function chainAudit(db: Db, batch = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const linked = await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
      const rows = await trx
        .selectFrom('audit_log')
        .selectAll()
        .where('chain_seq', 'is', null)
        .orderBy('id')
        .limit(batch)
        .execute();
      if (rows.length === 0) return 0;
      const last = await trx
        .selectFrom('audit_log')
        .select(['hash', 'chain_seq'])
        .where('chain_seq', 'is not', null)
        .orderBy('chain_seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      let prevHash = last?.hash ?? GENESIS;
      let seq = last?.chain_seq ?? 0;
      const links: { id: number; seq: number; prev: string; hash: string }[] = [];
      for (const r of rows) {
        seq += 1;
        const hash = auditHash(prevHash, hashedFieldsOf(r));
        links.push({ id: r.id, seq, prev: prevHash, hash });
        prevHash = hash;
      }
      const values = sql.join(
        links.map((l) => sql`(${l.id}::bigint, ${l.seq}::bigint, ${l.prev}, ${l.hash})`),
      );
      await sql`UPDATE audit_log AS a SET chain_seq = v.seq, prev_hash = v.prev, hash = v.hash
        FROM (VALUES ${values}) AS v(id, seq, prev, hash) WHERE a.id = v.id`.execute(trx);
      return links.length;
    });
    total += linked;
    if (linked < batch) return total;
  }
}

export type VerifyResult =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenAt: number; reason: 'hash' | 'link' };

/**
 * Link what is still unlinked, then walk the chain in order; report the first row (by id) whose hash or link
 * does not hold.
 */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<VerifyResult> {
  await chainAudit(db);
  let prevHash = GENESIS;
  let lastSeq = 0;
  let rows = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('chain_seq', '>', lastSeq)
      .orderBy('chain_seq')
      .limit(batch)
      .execute();
    if (page.length === 0) return { ok: true, rows };
    for (const r of page) {
      rows += 1;
      if (r.prev_hash !== prevHash) return { ok: false, rows, brokenAt: r.id, reason: 'link' };
      if (auditHash(prevHash, hashedFieldsOf(r)) !== r.hash)
        return { ok: false, rows, brokenAt: r.id, reason: 'hash' };
      prevHash = r.hash as string;
      lastSeq = r.chain_seq as number;
    }
  }
}
