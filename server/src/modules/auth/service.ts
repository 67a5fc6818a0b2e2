import type { Transaction } from 'kysely';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { hashPassword, timingDummyHash, verifyPassword } from '../../platform/auth/passwords.js';
import {
  createSession,
  deleteSessionsOf,
  loadApplicantActor,
  loadStaffActor,
  type NewSession,
} from '../../platform/auth/sessions.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { maskMobile } from '../../platform/mask.js';
import type { Tx } from '../../platform/tx.js';
import type { Me } from './schema.js';

type AccountRow = {
  id: string;
  password_hash: string;
  failed_logins: number;
  locked_until: Date | null;
  active: boolean;
  label: string;
};

async function findAccount(
  trx: Tx,
  accountType: 'staff' | 'applicant',
  username: string,
): Promise<AccountRow | null> {
  if (accountType === 'staff') {
    const s = await trx
      .selectFrom('staff')
      .select(['id', 'password_hash', 'failed_logins', 'locked_until', 'active', 'username'])
      .where('username', '=', username)
      .forUpdate()
      .executeTakeFirst();
    return s ? { ...s, label: s.username } : null;
  }
  const a = await trx
    .selectFrom('applicants')
    .select(['id', 'password_hash', 'failed_logins', 'locked_until', 'mobile'])
    .where('mobile', '=', username)
    .forUpdate()
    .executeTakeFirst();
  return a ? { ...a, active: true, label: maskMobile(a.mobile) } : null;
}

function accountTable(accountType: 'staff' | 'applicant') {
  return accountType === 'staff' ? ('staff' as const) : ('applicants' as const);
}

export type LoginResult = { actor: Actor; session: NewSession };

/**
 * Password login with lock-out: after `LOGIN_MAX_FAILURES` wrong passwords in a row the account is locked for
 * `LOGIN_LOCK_MINUTES`; every attempt is audited (failed ones too) with the mobile number masked.
 */
export async function login(
  db: Db,
  config: Config,
  input: { accountType: 'staff' | 'applicant'; username: string; password: string },
): Promise<LoginResult> {
  const probe = await db.transaction().execute((trx) => findAccount(trx, input.accountType, input.username));
  // Hash outside the transaction: never hold a transaction open across slow work.
  let passwordOk = false;
  if (probe) passwordOk = await verifyPassword(probe.password_hash, input.password);
  else await verifyPassword(await timingDummyHash(), input.password);

  const outcome = await db.transaction().execute(async (trx) => {
    const account = await findAccount(trx, input.accountType, input.username);
    if (!account) return { kind: 'invalid' as const };
    const table = accountTable(input.accountType);
    const now = new Date();
    // Nobody is logged in yet: the attempt is recorded under the account's (masked) label.
    const subject: Actor = { type: 'system', id: null, displayName: account.label };
    if (account.locked_until && account.locked_until > now) {
      return { kind: 'locked' as const, until: account.locked_until };
    }
    if (!account.active) return { kind: 'inactive' as const };
    if (!passwordOk || account.password_hash !== probe?.password_hash) {
      const failures = account.failed_logins + 1;
      const lock = failures >= config.LOGIN_MAX_FAILURES;
      const until = lock ? new Date(now.getTime() + config.LOGIN_LOCK_MINUTES * 60_000) : null;
      await trx
        .updateTable(table)
        .set({ failed_logins: lock ? 0 : failures, locked_until: until })
        .where('id', '=', account.id)
        .execute();
      await recordAudit(trx, subject, {
        action: lock ? 'auth.locked' : 'auth.login_failed',
        targetType: input.accountType,
        targetId: account.id,
        after: { failures, lockedUntil: until },
      });
      return lock ? { kind: 'locked' as const, until: until as Date } : { kind: 'invalid' as const };
    }
    await trx
      .updateTable(table)
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', account.id)
      .execute();
    const actor =
      input.accountType === 'staff'
        ? await loadStaffActor(trx, account.id)
        : await loadApplicantActor(trx, account.id);
    if (!actor) return { kind: 'inactive' as const };
    const session = await createSession(trx, input.accountType, account.id, config.SESSION_TTL_HOURS);
    await recordAudit(trx, actor, {
      action: 'auth.login',
      targetType: input.accountType,
      targetId: account.id,
    });
    return { kind: 'ok' as const, actor, session };
  });

  switch (outcome.kind) {
    case 'ok':
      return { actor: outcome.actor, session: outcome.session };
    case 'locked':
      throw new AppError('ACCOUNT_LOCKED', 'error.accountLocked', { until: outcome.until.toISOString() });
    case 'inactive':
      throw new AppError('INVALID_CREDENTIALS', 'error.accountInactive');
    default:
      throw new AppError('INVALID_CREDENTIALS', 'error.invalidCredentials');
  }
}

export type RegisterInput = {
  mobile: string;
  password: string;
  kind: 'person' | 'enterprise';
  name: string;
  idNumber?: string;
  uscc?: string;
};

/** Applicant self-registration; the new account is logged in at once. */
export async function registerApplicant(db: Db, config: Config, input: RegisterInput): Promise<LoginResult> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx: Transaction<Database>) => {
    const taken = await trx
      .selectFrom('applicants')
      .select('id')
      .where('mobile', '=', input.mobile)
      .executeTakeFirst();
    if (taken) throw fieldError('mobile', 'unique', 'rule.unique', { value: maskMobile(input.mobile) });
    if (input.kind === 'person' && input.idNumber) {
      const dup = await trx
        .selectFrom('applicants')
        .select('id')
        .where('id_number', '=', input.idNumber)
        .executeTakeFirst();
      if (dup) throw fieldError('idNumber', 'unique', 'rule.unique', { value: '***' });
    }
    if (input.kind === 'enterprise' && input.uscc) {
      const dup = await trx
        .selectFrom('applicants')
        .select('id')
        .where('uscc', '=', input.uscc)
        .executeTakeFirst();
      if (dup) throw fieldError('uscc', 'unique', 'rule.unique', { value: input.uscc });
    }
    const id = newId();
    await trx
      .insertInto('applicants')
      .values({
        id,
        mobile: input.mobile,
        password_hash: passwordHash,
        kind: input.kind,
        name: input.name,
        id_number: input.kind === 'person' ? (input.idNumber ?? null) : null,
        uscc: input.kind === 'enterprise' ? (input.uscc ?? null) : null,
      })
      .execute();
    const actor = await loadApplicantActor(trx, id);
    if (!actor) throw new AppError('INTERNAL', 'error.internal');
    const session = await createSession(trx, 'applicant', id, config.SESSION_TTL_HOURS);
    await recordAudit(trx, actor, {
      action: 'applicant.register',
      targetType: 'applicant',
      targetId: id,
      after: { kind: input.kind, mobile: maskMobile(input.mobile) },
    });
    return { actor, session };
  });
}

export async function changePassword(
  db: Db,
  actor: Actor,
  currentSessionToken: string | null,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  if (actor.type !== 'staff' && actor.type !== 'applicant')
    throw new AppError('FORBIDDEN', 'error.forbidden');
  const table = accountTable(actor.type);
  const row = await db
    .selectFrom(table)
    .select('password_hash')
    .where('id', '=', actor.id)
    .executeTakeFirst();
  if (!row) throw new AppError('UNAUTHENTICATED', 'error.unauthenticated');
  if (!(await verifyPassword(row.password_hash, input.currentPassword))) {
    throw fieldError('currentPassword', 'passwordWrong', 'rule.passwordWrong');
  }
  if (input.currentPassword === input.newPassword) {
    throw fieldError('newPassword', 'passwordSame', 'rule.passwordSame');
  }
  const newHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable(table)
      .set({ password_hash: newHash, password_changed_at: new Date() })
      .where('id', '=', actor.id)
      .execute();
    // Other sessions of this account end: a changed password must lock out whoever knew the old one.
    await deleteSessionsOf(
      trx,
      actor.type as 'staff' | 'applicant',
      actor.id,
      currentSessionToken ?? undefined,
    );
    await recordAudit(trx, actor, {
      action: 'auth.password_changed',
      targetType: actor.type,
      targetId: actor.id,
    });
  });
}

/** The current user as the web app needs it, with names of the departments and regions of each role. */
export async function presentMe(db: Db, actor: Actor): Promise<Me> {
  if (actor.type === 'applicant') {
    return {
      id: actor.id,
      accountType: 'applicant',
      username: maskMobile(actor.mobile),
      displayName: actor.displayName,
      departmentId: null,
      regionCode: null,
      roles: [],
    };
  }
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN', 'error.forbidden');
  const deptIds = actor.roles.map((r) => r.departmentId).filter((x): x is string => !!x);
  const regionCodes = actor.roles.map((r) => r.regionCode).filter((x): x is string => !!x);
  const depts = deptIds.length
    ? await db.selectFrom('departments').select(['id', 'name']).where('id', 'in', deptIds).execute()
    : [];
  const regions = regionCodes.length
    ? await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', regionCodes).execute()
    : [];
  return {
    id: actor.id,
    accountType: 'staff',
    username: actor.username,
    displayName: actor.displayName,
    departmentId: actor.departmentId,
    regionCode: actor.regionCode,
    roles: actor.roles.map((r) => ({
      id: r.id,
      role: r.role,
      departmentId: r.departmentId,
      departmentName: depts.find((d) => d.id === r.departmentId)?.name ?? null,
      regionCode: r.regionCode,
      regionName: regions.find((g) => g.code === r.regionCode)?.name ?? null,
    })),
  };
}
