import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { Actor, RoleGrant } from '../actor.js';
import { newSecret } from '../ids.js';
import type { Tx } from '../tx.js';

export const SESSION_COOKIE = 'tb_session';
export const CSRF_COOKIE = 'tb_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const API_TOKEN_PREFIX = 'tbk_';

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export type NewSession = { token: string; csrfToken: string; expiresAt: Date };

/** The cookie holds the token; the table holds only its hash, so a leaked table opens no session. */
export async function createSession(
  trx: Tx,
  accountType: 'staff' | 'applicant',
  accountId: string,
  ttlHours: number,
): Promise<NewSession> {
  const token = newSecret(32);
  const csrfToken = newSecret(24);
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await trx
    .insertInto('sessions')
    .values({
      id: sha256(token),
      account_type: accountType,
      account_id: accountId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function deleteSession(db: Tx, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sha256(token)).execute();
}

export async function deleteSessionsOf(
  db: Tx,
  accountType: 'staff' | 'applicant',
  accountId: string,
  exceptToken?: string,
) {
  let q = db
    .deleteFrom('sessions')
    .where('account_type', '=', accountType)
    .where('account_id', '=', accountId);
  if (exceptToken) q = q.where('id', '<>', sha256(exceptToken));
  await q.execute();
}

export async function loadStaffActor(db: Tx, staffId: string): Promise<Actor | null> {
  const s = await db
    .selectFrom('staff')
    .select(['id', 'username', 'display_name', 'department_id', 'region_code', 'active'])
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (!s?.active) return null;
  const roles = await db
    .selectFrom('staff_roles')
    .select(['id', 'role', 'department_id', 'region_code'])
    .where('staff_id', '=', staffId)
    .orderBy('created_at')
    .execute();
  const grants: RoleGrant[] = roles.map((r) => ({
    id: r.id,
    role: r.role,
    departmentId: r.department_id,
    regionCode: r.region_code,
  }));
  return {
    type: 'staff',
    id: s.id,
    username: s.username,
    displayName: s.display_name,
    departmentId: s.department_id,
    regionCode: s.region_code,
    roles: grants,
  };
}

export async function loadApplicantActor(db: Tx, applicantId: string): Promise<Actor | null> {
  const a = await db
    .selectFrom('applicants')
    .select(['id', 'mobile', 'name', 'kind'])
    .where('id', '=', applicantId)
    .executeTakeFirst();
  if (!a) return null;
  return { type: 'applicant', id: a.id, mobile: a.mobile, displayName: a.name, kind: a.kind };
}

export type ResolvedSession = { actor: Actor; csrfToken: string; token: string };

/** The columns `sessionSelect` gives, prefixed so that a statement can join them to other rows. */
export type SessionColumns = {
  sess_account_type: 'staff' | 'applicant';
  sess_account_id: string;
  sess_csrf_token: string;
  sess_username: string | null;
  sess_display_name: string | null;
  sess_department_id: string | null;
  sess_region_code: string | null;
  sess_active: boolean | null;
  sess_roles: RoleGrant[] | string | null;
  sess_mobile: string | null;
  sess_name: string | null;
  sess_kind: 'person' | 'enterprise' | null;
};

/**
 * The session of `token` (if unexpired) and its account, with a staff member's role grants, as one row of
 * `SessionColumns`: `resolveSession` runs it alone; a route whose handler first reads one more row may read
 * that row in the same statement (`SessionPrefetch`, platform/http.ts).
 */
export function sessionSelect(token: string, at: Date) {
  return sql<SessionColumns>`
    SELECT s.account_type AS sess_account_type, s.account_id AS sess_account_id, s.csrf_token AS sess_csrf_token,
      st.username AS sess_username, st.display_name AS sess_display_name, st.department_id AS sess_department_id,
      st.region_code AS sess_region_code, st.active AS sess_active,
      CASE WHEN st.id IS NULL THEN NULL ELSE (
        SELECT coalesce(json_agg(json_build_object('id', r.id, 'role', r.role, 'departmentId', r.department_id,
          'regionCode', r.region_code) ORDER BY r.created_at, r.id), '[]'::json)
        FROM staff_roles r WHERE r.staff_id = st.id) END AS sess_roles,
      a.mobile AS sess_mobile, a.name AS sess_name, a.kind AS sess_kind
    FROM sessions s
    LEFT JOIN staff st ON s.account_type = 'staff' AND st.id = s.account_id
    LEFT JOIN applicants a ON s.account_type = 'applicant' AND a.id = s.account_id
    WHERE s.id = ${sha256(token)} AND s.expires_at > ${at}`;
}

/** The actor of a `sessionSelect` row; null for a deactivated or vanished account. */
export function sessionFromRow(r: SessionColumns | undefined, token: string): ResolvedSession | null {
  if (!r) return null;
  let actor: Actor | null = null;
  if (r.sess_account_type === 'staff' && r.sess_active && r.sess_username !== null) {
    const roles = (
      typeof r.sess_roles === 'string' ? JSON.parse(r.sess_roles) : (r.sess_roles ?? [])
    ) as RoleGrant[];
    actor = {
      type: 'staff',
      id: r.sess_account_id,
      username: r.sess_username,
      displayName: r.sess_display_name as string,
      departmentId: r.sess_department_id,
      regionCode: r.sess_region_code as string,
      roles,
    };
  } else if (r.sess_account_type === 'applicant' && r.sess_mobile !== null) {
    actor = {
      type: 'applicant',
      id: r.sess_account_id,
      mobile: r.sess_mobile,
      displayName: r.sess_name as string,
      kind: r.sess_kind as 'person' | 'enterprise',
    };
  }
  if (!actor) return null;
  return { actor, csrfToken: r.sess_csrf_token, token };
}

/**
 * The session and its account (with a staff member's role grants) in one query: every authenticated request
 * pays for it, so it is one round trip. Nothing is cached: a logout, a deactivation or a role change counts
 * from the next request, on every node.
 */
export async function resolveSession(db: Db, token: string): Promise<ResolvedSession | null> {
  const res = await sessionSelect(token, new Date()).execute(db);
  return sessionFromRow(res.rows[0], token);
}

export async function resolveApiToken(db: Db, token: string): Promise<Actor | null> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'department_id', 'region_code'])
    .where('token_hash', '=', sha256(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  return {
    type: 'api',
    id: row.id,
    displayName: row.name,
    departmentId: row.department_id,
    regionCode: row.region_code,
  };
}
