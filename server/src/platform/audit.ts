import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/client.js';
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
 * Append one audit row, chained to the previous one. Call it inside the transaction that makes the change:
 * the advisory lock orders writers so the chain never forks, and it is released at commit.
 */
export async function recordAudit(trx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS;
  const row: HashedFields = {
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
  const hash = auditHash(prevHash, row);
  await trx
    .insertInto('audit_log')
    .values({
      ...row,
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
      prev_hash: prevHash,
      hash,
    })
    .execute();
}

export type VerifyResult =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenAt: number; reason: 'hash' | 'link' };

/** Walk the chain in id order; report the first row whose hash or link does not hold. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS;
  let lastId = 0;
  let rows = 0;
  for (;;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', lastId)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (page.length === 0) return { ok: true, rows };
    for (const r of page) {
      rows += 1;
      if (r.prev_hash !== prevHash) return { ok: false, rows, brokenAt: r.id, reason: 'link' };
      const expected = auditHash(prevHash, {
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
      });
      if (expected !== r.hash) return { ok: false, rows, brokenAt: r.id, reason: 'hash' };
      prevHash = r.hash;
      lastId = r.id;
    }
  }
}
