import './notices.js';
import type { Transaction, Updateable } from 'kysely';
import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { CasesTable, Database, LetterAction } from '../../db/types.js';
import { type Actor, systemActor } from '../../platform/actor.js';
import { auditInsert, recordAudit } from '../../platform/audit.js';
import { sessionFromRow } from '../../platform/auth/sessions.js';
import type { WorkCalendar } from '../../platform/calendar/index.js';
import { civilDate, now, today } from '../../platform/clock.js';
import { AppError, type FieldError, fieldError, notFound } from '../../platform/errors.js';
import type { SessionPrefetch } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { WAKE_CHANNEL } from '../../platform/jobs/registry.js';
import { maskIdNumber, maskMobile, maskName, maskUscc } from '../../platform/mask.js';
import { outboxRow } from '../../platform/outbox.js';
import type { OfficialDocument } from '../../platform/pdf/index.js';
import { hasRole, isSysAdmin, ownDepartments, requireActor, visibleRegions } from '../../platform/policy.js';
import type { Tx } from '../../platform/tx.js';
import { uuidSchema } from '../../platform/validation.js';
import { regionPrefix } from '../../platform/validators/index.js';
import { type HeldLetter, heldFrom } from '../access/queries.js';
import { authorise, heldLetterActions, letterRequired } from '../access/service.js';
import { calendarFor } from '../calendar/service.js';
import type { ItemData } from '../catalog/schema.js';
import { getInEffect, getVersion } from '../catalog/versions.js';
import { accountApplicant, applicantColumns, type CaseApplicant, filedApplicant } from './applicant.js';
import {
  type Deadlines,
  endOfDay,
  extendClock,
  resumeClock,
  startClock,
  startOfDay,
  warningLevel,
  workingDaysLeft,
} from './clock.js';
import { type CaseDocumentInput, issuedDocument, renderIssued } from './documents.js';
import { nextCaseNumber } from './numbering.js';
import { assertReadCase, type CaseScope, seesPersonalData } from './policy.js';
import * as q from './queries.js';
import type * as s from './schema.js';
import {
  actions,
  availableActions,
  beforeAcceptance,
  type CaseAction,
  type CaseStatus,
  transition,
  type Who,
} from './state-machine.js';

/** The file store the case module writes PDFs and uploads to (content-addressed). */
export type CaseFiles = {
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array | null>;
};
export type CaseCtx = { db: Db; config: Config; files: CaseFiles };

/** Register a stored file's metadata (idempotent: the store is content-addressed). */
export async function recordFile(
  trx: Tx,
  file: { sha256: string; size: number },
  mime: string,
  kind: string,
): Promise<void> {
  await trx
    .insertInto('files')
    .values({ sha256: file.sha256, size: file.size, mime, kind })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

type ActionInput = z.output<typeof s.actionBody>;
type Detail = z.output<typeof s.caseDetail>;
type Summary = z.output<typeof s.caseSummary>;

const MAX_EXTENSION_DAYS = 10;
/** Art. 32: an application neither decided nor sent back within 5 working days counts as accepted. */
export const ART32_DAYS = 5;
/** 告知承诺: the department verifies the commitment within this many working days. */
const POST_VERIFICATION_DAYS = 20;

function scopeOf(c: q.CaseRow): CaseScope {
  return {
    departmentId: c.department_id,
    regionCode: c.region_code,
    applicantAccountId: c.applicant_account_id,
    proxyAgentId: c.proxy_agent_id,
    registeredBy: c.registered_by,
  };
}

type Item = {
  versionId: string;
  code: string;
  name: string;
  departmentId: string;
  regionCode: string;
  data: ItemData;
};

async function loadItemByCode(db: Db, code: string): Promise<Item> {
  let found: Awaited<ReturnType<typeof getInEffect>>;
  try {
    found = await getInEffect(db, 'item', code);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') {
      throw fieldError('itemCode', 'exists', 'rule.exists', { what: code });
    }
    throw err;
  }
  const v = found.version;
  if (!v.departmentId || !found.departmentRegion) throw new Error(`item ${code} has no department`);
  return {
    versionId: v.id,
    code: v.code,
    name: v.name,
    departmentId: v.departmentId,
    regionCode: found.departmentRegion,
    data: v.data as ItemData,
  };
}

/** Published item versions never change, so their data is kept per node (bounded, least recently used out). */
const itemVersions = new Map<string, ItemData>();
const ITEM_VERSIONS_KEPT = 500;

/** The item version the case was filed under: later catalog edits never change a case. */
async function itemOf(db: Db, c: q.CaseRow): Promise<ItemData> {
  const hit = itemVersions.get(c.item_version_id);
  if (hit) {
    itemVersions.delete(c.item_version_id);
    itemVersions.set(c.item_version_id, hit);
    return hit;
  }
  const v = await getVersion(db, null, c.item_version_id);
  const data = v.data as ItemData;
  if (v.status === 'published') {
    itemVersions.set(c.item_version_id, data);
    if (itemVersions.size > ITEM_VERSIONS_KEPT)
      itemVersions.delete(itemVersions.keys().next().value as string);
  }
  return data;
}

function who(actor: Actor): Who {
  if (actor.type === 'applicant') return 'applicant';
  if (actor.type === 'system') return 'system';
  return 'staff';
}

function payloadOf(
  c: Pick<q.CaseRow, 'id' | 'number' | 'item_name' | 'status'>,
  extra: Record<string, unknown> = {},
) {
  return { caseId: c.id, number: c.number, itemName: c.item_name, status: c.status, ...extra };
}

function recipientsOf(
  c: Pick<q.CaseRow, 'applicant_locale' | 'applicant_account_id' | 'applicant_mobile' | 'applicant_email'>,
) {
  const locale = c.applicant_locale === 'en-US' ? ('en-US' as const) : ('zh-CN' as const);
  return [
    {
      ...(c.applicant_account_id
        ? { account: { type: 'applicant' as const, id: c.applicant_account_id } }
        : {}),
      mobile: c.applicant_mobile,
      ...(c.applicant_email ? { email: c.applicant_email } : {}),
      locale,
    },
  ];
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23505';
}

/** The case an earlier request with this Idempotency-Key registered, as its first answer showed it. */
async function registeredWithKey(ctx: CaseCtx, actor: Actor, key: string): Promise<Detail | null> {
  const row = await q.getCaseByIdempotencyKey(ctx.db, key);
  return row ? presentDetail(ctx, actor, row) : null;
}

// Registration (预登记, 统一发号) --------------------------------------------------------------------

export async function createCase(
  ctx: CaseCtx,
  actorIn: Actor | null,
  input: z.output<typeof s.createCase>,
  opts: { idempotencyKey?: string } = {},
) {
  const actor = requireActor(actorIn);
  const idempotencyKey = opts.idempotencyKey ?? null;
  if (idempotencyKey) {
    const earlier = await registeredWithKey(ctx, actor, idempotencyKey);
    if (earlier) return earlier;
  }
  const item = await loadItemByCode(ctx.db, input.itemCode);
  const at = now();
  let channel = input.channel;
  let applicant: CaseApplicant & { email: string | null };
  let regionCode = item.regionCode;
  let hallId: string | null = null;
  let windowId: string | null = null;
  let proxyAgentId: string | null = null;
  let registeredBy: string | null = null;

  if (actor.type === 'applicant') {
    channel = 'online';
    applicant = { ...(await accountApplicant(ctx.db, actor.id)), email: input.applicant?.email ?? null };
  } else {
    if (!input.applicant) throw fieldError('applicant', 'required', 'rule.required');
    if (actor.type === 'api') {
      channel = 'api';
      if (actor.departmentId !== item.departmentId)
        throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
    } else if (actor.type === 'staff') {
      if (channel === 'proxy') {
        if (!hasRole(actor, ['proxy_agent']))
          throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'proxy_agent' });
        proxyAgentId = actor.id;
        regionCode = actor.roles.find((r) => r.role === 'proxy_agent')?.regionCode ?? actor.regionCode;
      } else {
        channel = 'window';
        if (!hasRole(actor, ['window_clerk']))
          throw new AppError('FORBIDDEN', 'error.forbiddenRole', { roles: 'window_clerk' });
        if (input.windowId) {
          const w = await ctx.db
            .selectFrom('windows')
            .select(['id', 'hall_id', 'region_code'])
            .where('id', '=', input.windowId)
            .executeTakeFirst();
          if (!w) throw fieldError('windowId', 'exists', 'rule.exists', { what: 'what.window' });
          windowId = w.id;
          hallId = w.hall_id;
          regionCode = w.region_code;
        }
      }
      registeredBy = actor.id;
    } else {
      throw new AppError('FORBIDDEN', 'error.forbidden');
    }
    // A case filed for someone who has an account appears in their "my cases" too.
    applicant = { ...(await filedApplicant(ctx.db, input.applicant)), email: input.applicant.email ?? null };
  }
  if (!item.data.serviceObjects.includes(applicant.kind)) {
    throw fieldError('applicant.kind', 'serviceObject', 'rule.serviceObject', { value: applicant.kind });
  }

  const online = channel === 'online';
  const status: CaseStatus = online ? 'draft' : 'registered';
  const steps = item.data.steps;
  const id = newId(at.getTime());
  // Drawn in its own statement, so registrations of one region and day never queue behind each other's
  // commits; a registration that then fails leaves a gap in the sequence (as a database sequence does).
  const number = await nextCaseNumber(ctx.db, regionCode, civilDate(at));
  const row = {
    id,
    number,
    region_code: regionCode,
    item_version_id: item.versionId,
    item_code: item.code,
    item_name: item.name,
    department_id: item.departmentId,
    hall_id: hallId,
    window_id: windowId,
    channel,
    status,
    case_kind: item.data.caseKind === 'immediate' ? ('immediate' as const) : ('promised' as const),
    step_index: 0,
    step_name: steps[0]?.name ?? null,
    step_role: steps[0]?.role ?? null,
    ...applicantColumns(applicant),
    applicant_email: applicant.email,
    proxy_agent_id: proxyAgentId,
    registered_by: registeredBy,
    form: JSON.stringify(input.form),
    deemed_allowed: item.data.deemedApproval,
    promised_days: item.data.promisedLimitDays,
    legal_days: item.data.legalLimitDays,
    received_at: online ? null : input.arrivedAt ? new Date(input.arrivedAt) : at,
    idempotency_key: idempotencyKey,
  };
  // What the notification needs of the case, as it is about to be written (the locale is the column's default).
  const notified = { ...row, applicant_locale: 'zh-CN' };
  let created: Awaited<ReturnType<typeof q.registerCase>>;
  try {
    created = await q.registerCase(ctx.db, {
      row,
      lettersOf: actor.type === 'staff' ? { staffId: actor.id, on: civilDate(at) } : undefined,
      materials: item.data.materials.map((m, i) => ({
        id: newId(),
        case_id: id,
        region_code: regionCode,
        position: i,
        name: m.name,
        required: m.requirement === 'required',
        allow_deficiency: item.data.allowDeficiency && m.allowDeficiency && !m.essential,
        status: 'missing' as const,
      })),
      event: {
        id: newId(),
        case_id: id,
        region_code: regionCode,
        action: 'register',
        from_status: null,
        to_status: status,
        step_name: null,
        actor_type: actor.type,
        actor_id: actor.id,
        actor_name: actor.displayName,
        via_backup_of: null,
        reason: null,
        data: JSON.stringify({ channel, arrivedAt: input.arrivedAt ?? null }),
      },
      audit: auditInsert(actor, {
        action: 'case.register',
        targetType: 'case',
        targetId: id,
        regionCode,
        after: { number, itemCode: item.code, channel, status, applicant: maskName(applicant.name) },
      }),
      outbox: online
        ? null
        : outboxRow({
            type: 'case.registered',
            aggregateType: 'case',
            aggregateId: id,
            regionCode,
            payload: payloadOf(notified),
            recipients: recipientsOf(notified),
          }),
      wakeChannel: WAKE_CHANNEL,
    });
  } catch (err) {
    // The same key at the same moment on another node: its case stands, this one rolled back.
    const earlier =
      idempotencyKey && isUniqueViolation(err) ? await registeredWithKey(ctx, actor, idempotencyKey) : null;
    if (earlier) return earlier;
    throw err;
  }
  const held = actor.type === 'staff' ? heldFrom(created.letters, actor.id, item.code) : undefined;
  if (online && input.submit) return submit(ctx, actor, created.row, held && { held, on: civilDate(at) });
  return presentDetail(ctx, actor, created.row, held, created.parts);
}

export async function updateDraft(
  ctx: CaseCtx,
  actorIn: Actor | null,
  id: string,
  input: z.output<typeof s.updateDraft>,
) {
  const actor = requireActor(actorIn);
  const c = await caseOrThrow(ctx.db, id);
  assertReadCase(actor, scopeOf(c));
  if (c.status !== 'draft' && c.status !== 'returned') throw notAllowed(c.status, 'updateDraft');
  await ctx.db.transaction().execute(async (trx) => {
    if (
      !(await q.updateCaseIfUnchanged(
        trx,
        id,
        { version: input.version, status: c.status },
        { form: JSON.stringify(input.form) },
      ))
    ) {
      throw new AppError('VERSION_CONFLICT', 'error.conflict');
    }
  });
  return getCaseDetail(ctx, actor, id);
}

/** Online submission: every required material must be there (or be one the item accepts missing). */
/** `c`: the case as the caller just read (or wrote) it; `letters`: the actor's, read with it (staff). */
async function submit(ctx: CaseCtx, actor: Actor, c: q.CaseRowWithDept, letters?: HeldOn) {
  const mats = await q.materials(ctx.db, c.id);
  const missing: FieldError[] = mats
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => m.required && m.status !== 'provided' && !m.allow_deficiency)
    .map(({ m, i }) => ({
      field: `materials.${i}`,
      rule: 'required',
      key: 'rule.materialMissing',
      params: { name: m.name },
    }));
  if (missing.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: missing });
  return runAction(
    ctx,
    actor,
    c,
    c.status === 'returned' ? 'resubmit' : 'submit',
    { version: c.version },
    { received_at: now() },
    letters,
  );
}

// Actions ---------------------------------------------------------------------------------------------

function notAllowed(status: string, action: string): AppError {
  return new AppError('CONFLICT', 'error.actionNotAllowed', { action, status });
}

async function caseOrThrow(db: Db, id: string): Promise<q.CaseRowWithDept> {
  const c = await q.getCase(db, id);
  if (!c) throw notFound('what.case');
  return c;
}

/** The letter actions a staff member held on a day, as read with the case they are about to act on. */
type HeldOn = { held: HeldLetters; on: string };

/** The case, and for a staff member the letters they hold in its department — one query for both. */
async function caseForActor(
  db: Db,
  actor: Actor,
  id: string,
  prefetched?: q.PrefetchedCase | null,
): Promise<{ c: q.CaseRowWithDept; letters?: HeldOn }> {
  // Read with the session when the route asked for it (routes.ts), for this actor and this case.
  const read = prefetched?.id === id && prefetched.accountId === actor.id ? prefetched : null;
  if (actor.type !== 'staff') {
    if (!read) return { c: await caseOrThrow(db, id) };
    if (!read.row) throw notFound('what.case');
    const { letters: _, ...c } = read.row;
    return { c };
  }
  const on = read?.on ?? today();
  const row = read ? read.row : await q.getCaseWithLetters(db, id, actor.id, on);
  if (!row) throw notFound('what.case');
  const { letters, ...c } = row;
  return { c, letters: { held: heldFrom(letters, actor.id, c.item_code), on } };
}

type Prepared = {
  set: Updateable<CasesTable>;
  documents: CaseDocumentInput[];
  eventData?: Record<string, unknown>;
  /** Runs in the transaction after the case row changed (e.g. materials, post-verification tasks). */
  after?: (trx: Transaction<Database>, viaBackupOf: string | null) => Promise<void>;
  notifyExtra?: Record<string, unknown>;
};

/** The system's own acts (art. 32 auto-acceptance, deemed approval), with the reason in the timeline. */
export async function systemAct(
  ctx: CaseCtx,
  id: string,
  action: 'autoAccept' | 'deemApprove' | 'accept' | 'resume' | 'deliver' | 'terminate',
  reason: string,
  /** Joint cases: whom the system acts for (the first window), shown in the timeline; the handover method. */
  opts: { onBehalfOf?: string; deliveryMethod?: 'pickup' | 'mail' | 'download' } = {},
) {
  const c = await caseOrThrow(ctx.db, id);
  const actor = opts.onBehalfOf ? { ...systemActor, displayName: opts.onBehalfOf } : systemActor;
  const input: ActionInput = { version: c.version, reason };
  if (opts.deliveryMethod) input.deliveryMethod = opts.deliveryMethod;
  return runAction(ctx, actor, c, action, input);
}

export async function act(
  ctx: CaseCtx,
  actorIn: Actor | null,
  id: string,
  action: CaseAction,
  input: ActionInput,
  prefetched?: unknown,
) {
  const actor = requireActor(actorIn);
  const { c, letters } = await caseForActor(ctx.db, actor, id, asPrefetched(prefetched));
  assertReadCase(actor, scopeOf(c));
  if (action === 'submit' || action === 'resubmit') {
    if (input.version !== c.version) throw new AppError('VERSION_CONFLICT', 'error.conflict');
    return submit(ctx, actor, c, letters);
  }
  return runAction(ctx, actor, c, action, input, {}, letters);
}

async function runAction(
  ctx: CaseCtx,
  actor: Actor,
  c: q.CaseRowWithDept,
  action: CaseAction,
  input: ActionInput,
  extraSet: Updateable<CasesTable> = {},
  letters?: HeldOn,
) {
  const write = await prepareAction(ctx, actor, c, action, input, extraSet, letters);
  const { row, parts } = write.needsTransaction
    ? await ctx.db.transaction().execute(write)
    : await write(ctx.db);
  const updated = { ...row, department_name: c.department_name };
  return presentDetail(ctx, actor, updated, write.held, parts ?? undefined);
}

/**
 * A case action checked and prepared outside any transaction. The function writes it: one statement, which
 * may run alone unless `needsTransaction` (the action also changes other rows, e.g. materials), or inside a
 * caller's transaction with other cases' writes. `held`: the actor's letter actions, read to authorise it.
 */
export type PreparedCaseAction = ((trx: Tx) => Promise<q.WrittenCase>) & {
  held?: HeldLetters;
  needsTransaction: boolean;
};
type HeldLetters = Map<string, HeldLetter>;

/**
 * For a module that changes several cases as one (a joint case's acceptance, its combined correction): the
 * action is checked and prepared now, and written by the returned function inside the caller's transaction,
 * so a lost race (409) on any one case rolls back all of them.
 */
export async function prepareCaseAct(
  ctx: CaseCtx,
  actorIn: Actor | null,
  id: string,
  action: Exclude<CaseAction, 'submit' | 'resubmit'>,
  input: ActionInput,
): Promise<PreparedCaseAction> {
  const actor = requireActor(actorIn);
  const { c, letters } = await caseForActor(ctx.db, actor, id);
  assertReadCase(actor, scopeOf(c));
  return prepareAction(ctx, actor, c, action, input, {}, letters);
}

/** `systemAct` prepared now and written in the caller's transaction (see `prepareCaseAct`). */
export async function prepareSystemAct(
  ctx: CaseCtx,
  id: string,
  action: 'accept' | 'resume' | 'deliver' | 'terminate',
  reason: string,
  opts: { onBehalfOf?: string; deliveryMethod?: 'pickup' | 'mail' | 'download' } = {},
): Promise<PreparedCaseAction> {
  const c = await caseOrThrow(ctx.db, id);
  const actor = opts.onBehalfOf ? { ...systemActor, displayName: opts.onBehalfOf } : systemActor;
  const input: ActionInput = { version: c.version, reason };
  if (opts.deliveryMethod) input.deliveryMethod = opts.deliveryMethod;
  return prepareAction(ctx, actor, c, action, input);
}

/**
 * The one way a case changes: check the action is allowed in this status and by this actor (role and
 * authorisation letter, from `letters` when the caller read them with the case), prepare everything slow
 * (deadlines, PDFs) beforehand, and return the write: one statement that changes the row only if nobody
 * changed it meanwhile and the letter still holds (else 409 or 403), with the timeline, the documents, the
 * audit row and the outbox event.
 */
async function prepareAction(
  ctx: CaseCtx,
  actor: Actor,
  c: q.CaseRowWithDept,
  action: CaseAction,
  input: ActionInput,
  extraSet: Updateable<CasesTable> = {},
  letters?: HeldOn,
): Promise<PreparedCaseAction> {
  const spec = actions[action];
  if (!(spec.who as readonly Who[]).includes(who(actor))) throw new AppError('FORBIDDEN', 'error.forbidden');
  if (actor.type === 'applicant' && c.applicant_account_id !== actor.id)
    throw new AppError('FORBIDDEN', 'error.forbidden');
  const to = transition(c.status as CaseStatus, action);
  if (to === null) throw notAllowed(c.status, action);
  if (input.version !== c.version) throw new AppError('VERSION_CONFLICT', 'error.conflict');
  if (
    spec.needsReason &&
    !input.reason &&
    action !== 'autoAccept' &&
    action !== 'deemApprove' &&
    action !== 'requestCorrection'
  ) {
    throw fieldError('reason', 'required', 'rule.required');
  }
  const item = await itemOf(ctx.db, c);
  const calendar = await calendarFor(ctx.db, c.region_code);
  const prepared = await prepare(ctx, actor, c, action, input, item, calendar);
  const set = { ...prepared.set, ...extraSet };
  const letter: LetterAction | null = spec.letter;
  // Passing into a special stage (勘验, 专家评审 …) suspends the case instead of keeping it running.
  const finalTo: CaseStatus = action === 'pass' && set.suspension_kind ? 'suspended' : to;
  // The letter that authorises the action (own, or an absent primary's as AB backup); the same answer gives
  // the buttons of the page the action returns, and the write checks the letter again.
  let held: HeldLetters | undefined = letters?.held;
  let check: q.LetterCheck | null = null;
  if (letter && actor.type === 'staff') {
    const on = letters?.on ?? today();
    held =
      letters?.held ??
      (await heldLetterActions(ctx.db, {
        staffId: actor.id,
        departmentId: c.department_id,
        itemCode: c.item_code,
        on,
      }));
    const h = held.get(letter);
    if (!h) throw letterRequired(letter, c.item_code);
    check = { ...h, on, staffId: actor.id, departmentId: c.department_id };
  }
  const viaBackupOf = check?.viaBackupOf ?? null;
  const docs = prepared.documents.map((d) => ({
    row: {
      id: newId(),
      case_id: c.id,
      region_code: c.region_code,
      kind: d.kind,
      title: d.title,
      content: JSON.stringify(issuedDocument(ctx.config, d)),
    },
    summary: { kind: d.kind, title: d.title },
  }));
  const reason =
    input.reason ??
    (action === 'requestCorrection'
      ? (input.corrections ?? []).map((x) => `${x.material}:${x.problem}`).join(';')
      : null);
  const after = { ...c, ...set, status: finalTo } as q.CaseRow;
  const rows = {
    documents: docs.map((d) => d.row),
    event: {
      id: newId(),
      case_id: c.id,
      region_code: c.region_code,
      action,
      from_status: c.status,
      to_status: finalTo,
      step_name: (set.step_name as string | undefined) ?? c.step_name,
      actor_type: actor.type,
      actor_id: actor.id,
      actor_name: actor.displayName,
      via_backup_of: viaBackupOf,
      reason,
      data: JSON.stringify({
        ...prepared.eventData,
        legalBasis: input.legalBasis ?? null,
        documents: docs.map((d) => d.summary),
      }),
    },
    audit: auditInsert(actor, {
      action: `case.${action}`,
      targetType: 'case',
      targetId: c.id,
      regionCode: c.region_code,
      before: { status: c.status, version: c.version, step: c.step_name },
      after: {
        status: finalTo,
        version: c.version + 1,
        step: set.step_name ?? c.step_name,
        due: set.promised_due ?? c.promised_due,
      },
      reason,
      viaBackupOf,
    }),
    outbox: outboxRow({
      type: `case.${action}`,
      aggregateType: 'case',
      aggregateId: c.id,
      regionCode: c.region_code,
      payload: payloadOf(after, { action, reason, promisedDue: after.promised_due, ...prepared.notifyExtra }),
      recipients: recipientsOf(after),
    }),
  };

  const write = async (trx: Tx) => {
    const written = await q.writeCaseAction(trx, {
      id: c.id,
      expected: { version: c.version, status: c.status },
      set: { ...set, status: finalTo },
      letter: check,
      ...rows,
      wakeChannel: WAKE_CHANNEL,
      // An action that changes more of the case afterwards (materials, tasks) has its page read afresh.
      withPage: prepared.after === undefined,
    });
    if (!written) throw await notWritten(trx, c, letter, actor);
    await prepared.after?.(trx as Transaction<Database>, viaBackupOf);
    return written;
  };
  return Object.assign(write, { held, needsTransaction: prepared.after !== undefined });
}

/**
 * Why a case action's write changed nothing: the letter it relied on was revoked or ran out (or the primary
 * came back) meanwhile — the refusal says so — or, most often, someone else changed the case first (409).
 */
async function notWritten(
  db: Tx,
  c: q.CaseRow,
  letter: LetterAction | null,
  actor: Actor,
): Promise<AppError> {
  if (letter && actor.type === 'staff') {
    try {
      await authorise(db, {
        staffId: actor.id,
        departmentId: c.department_id,
        action: letter,
        itemCode: c.item_code,
      });
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
  }
  return new AppError('VERSION_CONFLICT', 'error.conflict');
}

function clockSet(d: Deadlines): Updateable<CasesTable> {
  return {
    promised_due: d.promisedDue,
    legal_due: d.legalDue,
    promised_due_at: endOfDay(d.promisedDue),
    legal_due_at: endOfDay(d.legalDue),
    warn_at: startOfDay(d.warnOn),
    due_provisional: d.provisional,
  };
}

function deadlinesOf(c: q.CaseRow): Deadlines {
  return {
    promisedDue: c.promised_due as string,
    legalDue: c.legal_due as string,
    warnOn: c.warn_at ? civilDate(c.warn_at) : (c.promised_due as string),
    provisional: c.due_provisional,
  };
}

function stepSet(item: ItemData, index: number, calendar: WorkCalendar, on: string): Updateable<CasesTable> {
  const step = item.steps[index];
  if (!step)
    return { step_index: index, step_name: null, step_role: null, step_started_at: now(), step_due_at: null };
  return {
    step_index: index,
    step_name: step.name,
    step_role: step.role,
    step_started_at: now(),
    step_due_at: step.limitDays > 0 ? endOfDay(calendar.addWorkingDays(on, step.limitDays).date) : null,
  };
}

/** The step after acceptance: the first one that is not the window's own 受理. */
function firstBackOfficeStep(item: ItemData): number {
  const i = item.steps.findIndex((st, idx) => idx > 0 || st.role !== 'window_clerk');
  return i === -1 ? 0 : item.steps[0]?.role === 'window_clerk' ? Math.max(1, i) : i;
}

function approverStep(item: ItemData): number {
  return item.steps.findIndex((st) => st.role === 'approver');
}

function basicDoc(
  c: q.CaseRowWithDept,
  kind: string,
  title: string,
  paragraphs: string[],
  items?: string[],
): CaseDocumentInput {
  return {
    kind,
    title,
    caseNumber: c.number,
    recipient: c.applicant_name,
    paragraphs,
    items,
    issuer: c.department_name,
    itemName: c.item_name,
  };
}

async function prepare(
  ctx: CaseCtx,
  actor: Actor,
  c: q.CaseRowWithDept,
  action: CaseAction,
  input: ActionInput,
  item: ItemData,
  calendar: WorkCalendar,
): Promise<Prepared> {
  const day = today();
  const docs: CaseDocumentInput[] = [];
  let set: Updateable<CasesTable> = {};
  let after: Prepared['after'];
  let eventData: Record<string, unknown> = {};
  let notifyExtra: Record<string, unknown> = {};
  // Only acceptance and a supplied correction look at the materials.
  const needsMaterials = [
    'supplyCorrection',
    'accept',
    'autoAccept',
    'completeOnSpot',
    'approveOnCommitment',
  ];
  const mats = needsMaterials.includes(action) ? await q.materials(ctx.db, c.id) : [];

  switch (action) {
    case 'preReviewPass':
    case 'preReviewReturn':
      break;
    case 'supplyCorrection': {
      // Every material the correction notice named must have been handed in again.
      const still: FieldError[] = mats
        .filter((m) => m.status === 'deficient')
        .map((m) => ({
          field: `materials.${m.position}`,
          rule: 'required',
          key: 'rule.materialMissing',
          params: { name: m.name },
        }));
      if (still.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: still });
      set = { received_at: now() };
      break;
    }
    case 'accept':
    case 'autoAccept':
    case 'completeOnSpot':
    case 'approveOnCommitment': {
      // 容缺受理: only materials the item allows, with the applicant's written commitment.
      const deferred = new Set(action === 'accept' ? (input.deferredMaterials ?? []) : []);
      const problems: FieldError[] = [];
      mats.forEach((m, i) => {
        if (!m.required || m.status === 'provided') return;
        if (deferred.has(m.name)) {
          if (!m.allow_deficiency)
            problems.push({
              field: `deferredMaterials`,
              rule: 'deficiencyNotAllowed',
              key: 'rule.materialNoDeficiency',
              params: { name: m.name },
            });
        } else if (action !== 'autoAccept') {
          problems.push({
            field: `materials.${i}`,
            rule: 'required',
            key: 'rule.materialMissing',
            params: { name: m.name },
          });
        }
      });
      for (const name of deferred) {
        if (!mats.some((m) => m.name === name))
          problems.push({
            field: 'deferredMaterials',
            rule: 'exists',
            key: 'rule.exists',
            params: { what: name },
          });
      }
      if (deferred.size > 0 && !input.commitment)
        problems.push({ field: 'commitment', rule: 'required', key: 'rule.commitmentRequired' });
      if (action === 'completeOnSpot' && c.case_kind !== 'immediate')
        problems.push({ field: 'action', rule: 'immediateOnly', key: 'rule.immediateOnly' });
      if (action === 'approveOnCommitment' && (!item.commitmentApproval || !input.commitment)) {
        problems.push({ field: 'commitment', rule: 'commitmentApproval', key: 'rule.commitmentApproval' });
      }
      if (problems.length) throw new AppError('VALIDATION', 'error.validation', {}, { fields: problems });
      // Art. 32 counts the case accepted on the day it was received.
      const acceptedOn = action === 'autoAccept' && c.received_at ? civilDate(c.received_at) : day;
      const deadlines = startClock(calendar, {
        acceptedOn,
        promisedDays: c.promised_days,
        legalDays: c.legal_days,
        warnDays: c.warn_days,
      });
      if (input.supplyBy && input.supplyBy > deadlines.promisedDue) {
        throw fieldError('supplyBy', 'dateOrder', 'rule.supplyByLate', { other: deadlines.promisedDue });
      }
      const supplyBy = deferred.size > 0 ? (input.supplyBy ?? deadlines.promisedDue) : null;
      const next = firstBackOfficeStep(item);
      set = {
        ...clockSet(deadlines),
        accepted_at: now(),
        accepted_on: acceptedOn,
        auto_accepted: action === 'autoAccept',
        deficiency_pending: deferred.size > 0,
        deficiency_due: supplyBy,
        ...stepSet(item, next, calendar, acceptedOn),
      };
      eventData = {
        promisedDue: deadlines.promisedDue,
        legalDue: deadlines.legalDue,
        deferred: [...deferred],
      };
      notifyExtra = { promisedDue: deadlines.promisedDue };
      const acceptParas = [
        `你(单位)于 ${c.received_at ? civilDate(c.received_at) : day} 提出的“${c.item_name}”申请,经审查,符合受理条件,决定予以受理。`,
        `承诺办结时限 ${c.promised_days} 个工作日,应于 ${deadlines.promisedDue} 前办结(法定时限 ${c.legal_days} 个工作日,至 ${deadlines.legalDue})。`,
      ];
      if (deferred.size > 0)
        acceptParas.push(`容缺受理:下列材料须于 ${supplyBy} 前补齐,补齐前不作出审批决定。`);
      if (action === 'autoAccept')
        acceptParas.push(
          '依据《行政许可法》第三十二条,逾期未作出受理决定或补正告知,自收到申请之日起即为受理。',
        );
      docs.push(
        basicDoc(c, 'acceptance', '受理通知书', acceptParas, deferred.size > 0 ? [...deferred] : undefined),
      );
      // Only a 容缺 acceptance changes materials; a plain one is the case's single statement, no transaction.
      if (deferred.size > 0)
        after = async (trx) => {
          await trx
            .updateTable('case_materials')
            .set({ status: 'deferred', updated_at: new Date() })
            .where('case_id', '=', c.id)
            .where('name', 'in', [...deferred])
            .execute();
        };
      if (action === 'completeOnSpot') {
        set = {
          ...set,
          decision: 'approved',
          decided_at: now(),
          completed_at: now(),
          completed_on_spot: true,
          step_name: item.steps.at(-1)?.name ?? null,
        };
        docs.push(decisionDoc(c, item, 'approved', input));
      }
      if (action === 'approveOnCommitment') {
        set = { ...set, decision: 'approved', decided_at: now(), on_commitment: true };
        const verifyBy = calendar.addWorkingDays(day, POST_VERIFICATION_DAYS).date;
        const prev = after;
        after = async (trx, via) => {
          await prev?.(trx, via);
          await trx
            .insertInto('post_verifications')
            .values({
              id: newId(),
              case_id: c.id,
              region_code: c.region_code,
              department_id: c.department_id,
              due_on: verifyBy,
              status: 'open',
            })
            .execute();
        };
        eventData = { ...eventData, verifyBy };
      }
      break;
    }
    case 'refuse':
      if (!input.legalBasis) throw fieldError('legalBasis', 'required', 'rule.required');
      docs.push(
        basicDoc(c, 'refusal', '不予受理决定书', [
          `你(单位)提出的“${c.item_name}”申请,经审查,决定不予受理。`,
          `理由:${input.reason}`,
          `依据:${input.legalBasis}`,
          '如不服本决定,可依法申请行政复议或者提起行政诉讼。',
        ]),
      );
      break;
    case 'requestCorrection': {
      const list = input.corrections ?? [];
      if (list.length === 0) throw fieldError('corrections', 'atLeastOne', 'rule.atLeastOne');
      set = { correction_count: c.correction_count + 1 };
      docs.push(
        basicDoc(
          c,
          'correction',
          '补正材料告知书',
          [
            `你(单位)提出的“${c.item_name}”申请材料不齐全或不符合法定形式,现一次性告知需要补正的全部内容如下:`,
            input.reason ? `说明:${input.reason}` : '补正后请重新提交,受理期限自收到全部补正材料之日起计算。',
          ],
          list.map((x) => `${x.material}:${x.problem}`),
        ),
      );
      after = async (trx) => {
        for (const x of list) {
          await trx
            .updateTable('case_materials')
            .set({ status: 'deficient', note: x.problem, updated_at: new Date() })
            .where('case_id', '=', c.id)
            .where('name', '=', x.material)
            .execute();
        }
      };
      eventData = { corrections: list };
      break;
    }
    case 'pass': {
      if (c.step_role === 'approver') throw notAllowed(`${c.status}/${c.step_name}`, action);
      const next = Math.min(c.step_index + 1, Math.max(item.steps.length - 1, 0));
      set = stepSet(item, next, calendar, day);
      if (item.steps[next]?.clockStops) {
        // Entering a special stage (勘验, 专家评审, 听证 …) stops the clock; the applicant is told in writing.
        return prepareSuspension(
          c,
          { ...input, suspensionKind: 'special_stage', reason: input.reason ?? item.steps[next].name },
          set,
          'pass',
        );
      }
      break;
    }
    case 'returnStep': {
      const to = input.toStep ?? Math.max(c.step_index - 1, 0);
      if (to >= c.step_index)
        throw fieldError('toStep', 'max', 'rule.tooLong', { maximum: c.step_index - 1 });
      set = stepSet(item, Math.max(to, firstBackOfficeStep(item)), calendar, day);
      break;
    }
    case 'approve':
    case 'deemApprove':
    case 'deny': {
      if (action !== 'deemApprove' && approverStep(item) >= 0 && c.step_role !== 'approver')
        throw notAllowed(`${c.status}/${c.step_name}`, action);
      if (action !== 'deny' && c.deficiency_pending)
        throw fieldError('materials', 'deficiencyPending', 'rule.deficiencyPending');
      if (action === 'deny' && !input.legalBasis) throw fieldError('legalBasis', 'required', 'rule.required');
      if (action === 'deemApprove' && !c.deemed_allowed) throw notAllowed(c.status, action);
      const next = Math.min(c.step_index + 1, Math.max(item.steps.length - 1, 0));
      set = {
        decision: action === 'deny' ? 'denied' : 'approved',
        decided_at: now(),
        deemed_approved: action === 'deemApprove',
        ...stepSet(item, next, calendar, day),
      };
      break;
    }
    case 'issue': {
      docs.push(decisionDoc(c, item, c.decision === 'denied' ? 'denied' : 'approved', input));
      set = { completed_at: now(), ...stepSet(item, Math.max(item.steps.length - 1, 0), calendar, day) };
      break;
    }
    case 'deliver': {
      const method = input.deliveryMethod ?? (actor.type === 'applicant' ? 'download' : undefined);
      if (!method) throw fieldError('deliveryMethod', 'required', 'rule.required');
      if (method === 'mail' && !input.trackingNumber)
        throw fieldError('trackingNumber', 'required', 'rule.required');
      set = { delivered_at: now(), delivery_method: method, tracking_number: input.trackingNumber ?? null };
      break;
    }
    case 'suspend':
      if (!input.suspensionKind) throw fieldError('suspensionKind', 'required', 'rule.required');
      return prepareSuspension(c, input, {}, 'suspend');
    case 'resume': {
      const resumed = resumeClock(calendar, deadlinesOf(c), {
        suspendedOn: c.suspended_on as string,
        resumedOn: day,
        warnDays: c.warn_days,
      });
      const stageStep = item.steps[c.step_index]?.clockStops
        ? stepSet(item, c.step_index + 1, calendar, day)
        : {};
      set = {
        ...clockSet(resumed),
        suspended_at: null,
        suspended_on: null,
        suspension_kind: null,
        ...stageStep,
      };
      docs.push(
        basicDoc(
          c,
          'stage_end',
          c.suspension_kind === 'special_stage' ? '特别程序结束告知书' : '恢复办理告知书',
          [
            `你(单位)申请的“${c.item_name}”已于 ${day} 恢复办理。`,
            `扣除暂停期间,承诺办结日期调整为 ${resumed.promisedDue}。`,
          ],
        ),
      );
      eventData = { promisedDue: resumed.promisedDue };
      notifyExtra = { promisedDue: resumed.promisedDue };
      break;
    }
    case 'extend': {
      if (c.extended_days > 0) throw notAllowed('extended', action);
      const days = input.days;
      if (!days) throw fieldError('days', 'required', 'rule.required');
      if (days > MAX_EXTENSION_DAYS)
        throw fieldError('days', 'max', 'rule.tooLong', { maximum: MAX_EXTENSION_DAYS });
      const extended = extendClock(calendar, deadlinesOf(c), { days, warnDays: c.warn_days, today: day });
      set = { ...clockSet(extended), extended_days: days };
      docs.push(
        basicDoc(c, 'extension', '延期办理告知书', [
          `因${input.reason},你(单位)申请的“${c.item_name}”需延长办理期限 ${days} 个工作日。`,
          `办结日期调整为 ${extended.promisedDue}。`,
        ]),
      );
      eventData = { days, promisedDue: extended.promisedDue };
      notifyExtra = { promisedDue: extended.promisedDue };
      break;
    }
    case 'terminate':
    case 'withdraw':
      set = { suspended_at: null };
      if (action === 'terminate')
        docs.push(
          basicDoc(c, 'termination', '终止办理告知书', [
            `你(单位)申请的“${c.item_name}”终止办理。`,
            `理由:${input.reason}`,
          ]),
        );
      break;
    default:
      break;
  }
  return { set, documents: docs, after, eventData, notifyExtra };
}

function prepareSuspension(
  c: q.CaseRowWithDept,
  input: ActionInput,
  stepPart: Updateable<CasesTable>,
  via: 'pass' | 'suspend',
): Prepared {
  const day = today();
  const kind = input.suspensionKind ?? 'suspension';
  const title = kind === 'special_stage' ? '特别程序告知书' : '中止办理告知书';
  const doc = basicDoc(c, 'stage_start', title, [
    kind === 'special_stage'
      ? `你(单位)申请的“${c.item_name}”自 ${day} 起进入特别程序(${input.reason}),所需时间不计入办理期限。`
      : `你(单位)申请的“${c.item_name}”自 ${day} 起中止办理。理由:${input.reason}`,
    '特别程序或中止情形结束后恢复计时,并书面告知。',
  ]);
  return {
    // `pass` into a special stage changes status through the suspend path: see runAction's transition.
    set: { ...stepPart, suspended_at: now(), suspended_on: day, suspension_kind: kind },
    documents: [doc],
    eventData: { suspensionKind: kind, via },
  };
}

function decisionDoc(
  c: q.CaseRowWithDept,
  item: ItemData,
  decision: 'approved' | 'denied',
  input: ActionInput,
): CaseDocumentInput {
  if (decision === 'denied') {
    return basicDoc(c, 'denial', '不予行政许可决定书', [
      `你(单位)申请的“${c.item_name}”,经审查,决定不予许可。`,
      `理由:${input.reason ?? '见审查意见'}`,
      `依据:${input.legalBasis ?? ''}`,
      '如不服本决定,可在收到本决定书之日起六十日内申请行政复议,或者六个月内提起行政诉讼。',
    ]);
  }
  const resultName = item.result.name || c.item_name;
  return basicDoc(
    c,
    'decision',
    item.result.kind === 'certificate' ? resultName : `准予${c.item_name}决定书`,
    [
      `你(单位)申请的“${c.item_name}”,经审查,符合法定条件、标准,决定准予许可。`,
      item.result.kind === 'certificate' ? `核发《${resultName}》。` : '特此决定。',
    ],
  );
}

// Claiming (认领) ----------------------------------------------------------------------------------------

/**
 * Take a case into one's own queue so colleagues of the department do not work on it twice, or give it back.
 * Claiming a case someone else holds is refused (409) unless it is released first; the timeline says who.
 */
export async function claimCase(ctx: CaseCtx, actorIn: Actor | null, id: string, release: boolean) {
  const actor = requireActor(actorIn);
  if (actor.type !== 'staff') throw new AppError('FORBIDDEN', 'error.forbidden');
  const c = await caseOrThrow(ctx.db, id);
  assertReadCase(actor, scopeOf(c));
  if (!ownDepartments(actor).includes(c.department_id) && !isSysAdmin(actor))
    throw new AppError('FORBIDDEN', 'error.forbiddenDepartment');
  if (!release && c.assignee_id && c.assignee_id !== actor.id)
    throw new AppError('CONFLICT', 'error.claimedByOther');
  if (release && c.assignee_id !== actor.id) throw new AppError('CONFLICT', 'error.notClaimedByYou');
  await ctx.db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('cases')
      .set({ assignee_id: release ? null : actor.id, updated_at: new Date() })
      .where('id', '=', id)
      .where((eb) =>
        release
          ? eb('assignee_id', '=', actor.id)
          : eb.or([eb('assignee_id', 'is', null), eb('assignee_id', '=', actor.id)]),
      )
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('CONFLICT', 'error.claimedByOther');
    await q.insertEvent(trx, {
      id: newId(),
      case_id: id,
      region_code: c.region_code,
      action: release ? 'release' : 'claim',
      from_status: c.status,
      to_status: c.status,
      step_name: c.step_name,
      actor_type: actor.type,
      actor_id: actor.id,
      actor_name: actor.displayName,
      via_backup_of: null,
      reason: null,
      data: null,
    });
    await recordAudit(trx, actor, {
      action: release ? 'case.release' : 'case.claim',
      targetType: 'case',
      targetId: id,
      regionCode: c.region_code,
    });
  });
  return getCaseDetail(ctx, actor, id);
}

// Materials ---------------------------------------------------------------------------------------------

/** Statuses in which a material can be uploaded: before acceptance any, after it a 容缺 material. */
const MATERIAL_STATUSES: readonly string[] = [...beforeAcceptance, 'accepted', 'suspended'];
const BEFORE_ACCEPTANCE: readonly string[] = beforeAcceptance;

/**
 * Attach a file (already checked and stored) to a case material. A deferred (容缺) material supplied this
 * way clears the case's pending flag once none is left.
 */
export async function attachMaterial(
  ctx: CaseCtx,
  actorIn: Actor | null,
  caseId: string,
  materialId: string,
  file: { sha256: string; name: string; kind: string; size: number; mime: string },
  /** The case as read with the session (routes.ts), before the file arrived: its status is checked again. */
  prefetched?: unknown,
) {
  const actor = requireActor(actorIn);
  const { c, letters } = await caseForActor(ctx.db, actor, caseId, asPrefetched(prefetched));
  assertReadCase(actor, scopeOf(c));
  if (!MATERIAL_STATUSES.includes(c.status)) throw notAllowed(c.status, 'attachMaterial');
  // Before acceptance, the common upload (a material not waiting as 容缺) is one statement, written only if
  // the case is still before acceptance.
  if (BEFORE_ACCEPTANCE.includes(c.status)) {
    const provided = await q.provideMaterial(ctx.db, {
      caseId,
      materialId,
      file,
      applicant: actor.type === 'applicant' ? { id: actor.id, libraryId: newId() } : null,
      audit: auditInsert(actor, {
        action: 'case.material',
        targetType: 'case',
        targetId: caseId,
        regionCode: c.region_code,
      }),
    });
    if (provided !== undefined) return presentDetail(ctx, actor, c, letters?.held, provided.parts);
  }
  const caseChanged = await ctx.db.transaction().execute(async (trx) => {
    let changed = false;
    // The case as it is now (the read above may be from before the file arrived), held until the commit.
    const cur = await trx
      .selectFrom('cases')
      .select(['status', 'version'])
      .where('id', '=', caseId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!MATERIAL_STATUSES.includes(cur.status)) throw notAllowed(cur.status, 'attachMaterial');
    await recordFile(trx, file, file.mime, file.kind);
    const m = await trx
      .selectFrom('case_materials')
      .selectAll()
      .where('id', '=', materialId)
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (!m) throw notFound('what.material');
    if (!BEFORE_ACCEPTANCE.includes(cur.status) && m.status !== 'deferred')
      throw notAllowed(cur.status, 'attachMaterial');
    await trx
      .updateTable('case_materials')
      .set({
        status: 'provided',
        file_sha256: file.sha256,
        file_name: file.name,
        supplied_at: new Date(),
        updated_at: new Date(),
        note: null,
      })
      .where('id', '=', materialId)
      .execute();
    if (actor.type === 'applicant') {
      await trx
        .insertInto('applicant_materials')
        .values({
          id: newId(),
          applicant_id: actor.id,
          name: m.name,
          file_sha256: file.sha256,
          file_name: file.name,
          kind: file.kind,
          size: file.size,
        })
        .onConflict((oc) => oc.columns(['applicant_id', 'file_sha256', 'name']).doNothing())
        .execute();
    }
    if (m.status === 'deferred') {
      const left = await trx
        .selectFrom('case_materials')
        .select('id')
        .where('case_id', '=', caseId)
        .where('status', '=', 'deferred')
        .execute();
      if (left.length === 0) {
        await trx
          .updateTable('cases')
          .set({
            deficiency_pending: false,
            deficiency_due: null,
            version: cur.version + 1,
            updated_at: new Date(),
          })
          .where('id', '=', caseId)
          .execute();
        changed = true;
      }
      await q.insertEvent(trx, {
        id: newId(),
        case_id: caseId,
        region_code: c.region_code,
        action: 'supplyDeficiency',
        from_status: cur.status,
        to_status: cur.status,
        step_name: c.step_name,
        actor_type: actor.type,
        actor_id: actor.id,
        actor_name: actor.displayName,
        via_backup_of: null,
        reason: m.name,
        data: null,
      });
    }
    await recordAudit(trx, actor, {
      action: 'case.material',
      targetType: 'case',
      targetId: caseId,
      regionCode: c.region_code,
      after: { material: m.name, sha256: file.sha256 },
    });
    return changed;
  });
  return caseChanged ? getCaseDetail(ctx, actor, caseId) : presentDetail(ctx, actor, c, letters?.held);
}

// Reading -----------------------------------------------------------------------------------------------

async function presentSummaryRow(
  ctx: CaseCtx,
  c: q.CaseSummaryRow,
  calendarCache: Map<string, WorkCalendar>,
): Promise<Summary> {
  const at = now();
  const running = c.status === 'accepted' || c.status === 'suspended';
  let left: number | null = null;
  if (running && c.promised_due) {
    let cal = calendarCache.get(c.region_code);
    if (!cal) {
      cal = await calendarFor(ctx.db, c.region_code);
      calendarCache.set(c.region_code, cal);
    }
    left = workingDaysLeft(cal, civilDate(at), c.promised_due);
  }
  return {
    id: c.id,
    number: c.number,
    itemCode: c.item_code,
    itemName: c.item_name,
    departmentId: c.department_id,
    departmentName: c.department_name,
    channel: c.channel,
    status: c.status as CaseStatus,
    stepName: c.step_name,
    applicantName: maskName(c.applicant_name),
    receivedAt: c.received_at?.toISOString() ?? null,
    acceptedAt: c.accepted_at?.toISOString() ?? null,
    promisedDue: c.promised_due,
    legalDue: c.legal_due,
    dueProvisional: c.due_provisional,
    warning: running ? warningLevel(at, c.warn_at, c.promised_due_at) : 'none',
    workingDaysLeft: left,
    deficiencyPending: c.deficiency_pending,
    deficiencyDue: c.deficiency_due,
    assigneeId: c.assignee_id,
    version: c.version,
    updatedAt: c.updated_at.toISOString(),
  };
}

/**
 * The actions this actor may take now: allowed in the status, for this kind of actor, at the current step,
 * and covered by the actor's authorisation letters (or an absent primary's, as AB backup). The UI shows
 * exactly these buttons; the action endpoint checks the same rules again.
 */
function actionsFor(
  actor: Actor,
  c: q.CaseRowWithDept,
  item: ItemData,
  held: HeldLetters | undefined,
): string[] {
  const candidates = availableActions(c.status as CaseStatus, who(actor));
  if (actor.type === 'applicant') return c.applicant_account_id === actor.id ? candidates : [];
  if (actor.type !== 'staff' || !held) return [];
  const atApprover = c.step_role === 'approver' || approverStep(item) < 0;
  return candidates.filter((a) => {
    const need = actions[a].letter;
    if (need && !held.has(need)) return false;
    if (a === 'pass') return !atApprover || approverStep(item) < 0;
    if (a === 'returnStep') return c.step_index > firstBackOfficeStep(item);
    if (a === 'approve' || a === 'deny') return atApprover;
    if (a === 'completeOnSpot') return c.case_kind === 'immediate';
    if (a === 'approveOnCommitment') return item.commitmentApproval;
    if (a === 'extend') return c.extended_days === 0;
    return true;
  });
}

/**
 * The case page. `held`: the actor's letter actions when the caller has just read them, `known`: its
 * materials, timeline and documents when the caller's write returned them (an action).
 */
async function presentDetail(
  ctx: CaseCtx,
  actor: Actor,
  c: q.CaseRowWithDept,
  held?: HeldLetters,
  known?: Omit<q.DetailParts, 'letters'>,
): Promise<Detail> {
  const summary = await presentSummaryRow(ctx, c, new Map());
  const item = await itemOf(ctx.db, c);
  const full = seesPersonalData(actor, scopeOf(c));
  const readLetters = actor.type === 'staff' && !held;
  const {
    materials: mats,
    events,
    documents: docs,
    letters,
  } = known && !readLetters
    ? { ...known, letters: [] }
    : await q.detailParts(
        ctx.db,
        c.id,
        readLetters ? { staffId: actor.id, departmentId: c.department_id, on: today() } : undefined,
      );
  const heldNow = held ?? (actor.type === 'staff' ? heldFrom(letters, actor.id, c.item_code) : undefined);
  const form = (typeof c.form === 'object' && c.form !== null ? c.form : {}) as Record<string, string>;
  return {
    ...summary,
    applicantName: full ? c.applicant_name : maskName(c.applicant_name),
    regionCode: c.region_code,
    itemVersionId: c.item_version_id,
    caseKind: c.case_kind,
    applicant: {
      kind: c.applicant_kind,
      name: full ? c.applicant_name : maskName(c.applicant_name),
      idNumber: c.applicant_id_number
        ? full
          ? c.applicant_id_number
          : maskIdNumber(c.applicant_id_number)
        : null,
      uscc: c.applicant_uscc ? (full ? c.applicant_uscc : maskUscc(c.applicant_uscc)) : null,
      mobile: full ? c.applicant_mobile : maskMobile(c.applicant_mobile),
    },
    form,
    steps: item.steps.map((st) => ({
      name: st.name,
      role: st.role,
      limitDays: st.limitDays,
      clockStops: st.clockStops,
    })),
    stepIndex: c.step_index,
    suspensionKind: c.suspension_kind,
    extendedDays: c.extended_days,
    correctionCount: c.correction_count,
    autoAccepted: c.auto_accepted,
    deemedApproved: c.deemed_approved,
    onCommitment: c.on_commitment,
    decision: c.decision,
    deliveryMethod: c.delivery_method,
    trackingNumber: c.tracking_number,
    materials: mats.map((m) => ({
      id: m.id,
      position: m.position,
      name: m.name,
      required: m.required,
      allowDeficiency: m.allow_deficiency,
      status: m.status,
      fileName: m.file_name,
      fileSha256: m.file_sha256,
      note: m.note,
      suppliedAt: m.supplied_at?.toISOString() ?? null,
    })),
    timeline: events.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      stepName: e.step_name,
      actorName:
        actor.type === 'applicant' && e.actor_type === 'staff' ? maskName(e.actor_name) : e.actor_name,
      viaBackupOf: e.via_backup_of,
      reason: e.reason,
    })),
    documents: docs.map((d) => ({
      id: d.id,
      kind: d.kind,
      title: d.title,
      createdAt: d.created_at.toISOString(),
      url: `/api/v1/cases/${c.id}/documents/${d.id}`,
    })),
    actions: actionsFor(actor, c, item, heldNow),
  };
}

export async function getCaseDetail(
  ctx: CaseCtx,
  actorIn: Actor | null,
  id: string,
  prefetched?: unknown,
): Promise<Detail> {
  const actor = requireActor(actorIn);
  const { c, letters } = await caseForActor(ctx.db, actor, id, asPrefetched(prefetched));
  assertReadCase(actor, scopeOf(c));
  return presentDetail(ctx, actor, c, letters?.held);
}

/**
 * For the routes of one case (its page, its actions): the caller's session and the case with the caller's
 * letters in one statement (`q.sessionWithCase`); the handler gets the case from `req.prefetched`.
 */
export const sessionWithCase: SessionPrefetch = async (db, token, req) => {
  const id = (req.params as { id?: unknown }).id;
  if (typeof id !== 'string' || !uuidSchema.safeParse(id).success) return null;
  const { session, prefetched } = await q.sessionWithCase(db, token, new Date(), id, today());
  return { session: sessionFromRow(session, token), data: prefetched };
};

function asPrefetched(data: unknown): q.PrefetchedCase | null {
  const p = data as q.PrefetchedCase | null | undefined;
  return p && typeof p.id === 'string' && typeof p.accountId === 'string' ? p : null;
}

export async function listCases(ctx: CaseCtx, actorIn: Actor | null, query: z.output<typeof s.caseList>) {
  const actor = requireActor(actorIn);
  const filter: q.CaseFilter = { ...query, now: now(), statuses: query.status?.split(',').filter(Boolean) };
  if (actor.type === 'applicant') {
    filter.applicantAccountId = actor.id;
  } else if (actor.type === 'api') {
    filter.departmentIds = [actor.departmentId];
  } else if (actor.type === 'staff') {
    if (!isSysAdmin(actor)) {
      filter.departmentIds = ownDepartments(actor);
      filter.regionPrefixes = (
        visibleRegions(actor, ['hall_admin', 'supervisor', 'hotline_operator']) ?? []
      ).map(regionPrefix);
      filter.staffId = actor.id;
    }
    if (query.scope === 'inbox') {
      // What waits for this person's roles: the window decides acceptance and hands out results, the back
      // office the steps of its role.
      const roles = new Set(actor.roles.map((r) => r.role));
      const statuses = new Set<string>();
      const stepRoles: string[] = [];
      if (roles.has('window_clerk'))
        for (const x of ['submitted', 'registered', 'correcting', 'approved', 'denied', 'completed'])
          statuses.add(x);
      if (roles.has('reviewer')) {
        statuses.add('accepted');
        statuses.add('suspended');
        stepRoles.push('reviewer', 'inspector', 'expert');
      }
      if (roles.has('approver')) {
        statuses.add('accepted');
        stepRoles.push('approver');
      }
      if (roles.has('proxy_agent'))
        ['draft', 'returned', 'correcting', 'completed'].forEach((x) => {
          statuses.add(x);
        });
      if (!filter.statuses?.length) filter.statuses = [...statuses];
      if (stepRoles.length && !roles.has('window_clerk')) filter.stepRoles = stepRoles;
    }
    if (query.scope === 'mine') filter.departmentIds = [];
    if (query.scope === 'claimed') filter.assigneeId = actor.id;
  } else {
    throw new AppError('FORBIDDEN', 'error.forbidden');
  }
  const page = await q.listCases(ctx.db, filter);
  const cache = new Map<string, WorkCalendar>();
  const items: Summary[] = [];
  for (const row of page.items) items.push(await presentSummaryRow(ctx, row, cache));
  return { ...page, items };
}

/** Public progress query: the number plus the last six characters of the ID/USCC or the full mobile number. */
export async function progress(ctx: CaseCtx, number: string, code: string) {
  const c = await q.progressByNumber(ctx.db, number);
  const ident = c ? (c.applicant_id_number ?? c.applicant_uscc ?? '') : '';
  const matches =
    !!c && (code.toUpperCase() === ident.slice(-6).toUpperCase() || code === c.applicant_mobile);
  // The same answer for a wrong number and a wrong code: the query must not tell which cases exist.
  if (!c || !matches || c.status === 'draft') throw new AppError('NOT_FOUND', 'error.progressNotFound');
  return {
    number: c.number,
    itemName: c.item_name,
    departmentName: c.department_name,
    status: c.status as CaseStatus,
    stepName: c.step_name,
    receivedAt: c.received_at?.toISOString() ?? null,
    acceptedAt: c.accepted_at?.toISOString() ?? null,
    promisedDue: c.promised_due,
    completedAt: c.completed_at?.toISOString() ?? null,
    timeline: c.timeline.map((e) => ({
      at: e.at.toISOString(),
      action: e.action,
      toStatus: e.to_status,
      stepName: e.step_name,
    })),
  };
}

export async function documentFile(ctx: CaseCtx, actorIn: Actor | null, caseId: string, docId: string) {
  const actor = requireActor(actorIn);
  const c = await caseOrThrow(ctx.db, caseId);
  assertReadCase(actor, scopeOf(c));
  const d = await ctx.db
    .selectFrom('case_documents')
    .selectAll()
    .where('id', '=', docId)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!d) throw notFound('what.document');
  if (d.file_sha256) return { title: d.title, sha256: d.file_sha256 };
  // First download: render the document as issued and keep the PDF (content-addressed, so two concurrent
  // first downloads store the same bytes once).
  const stored = await ctx.files.put(await renderIssued(d.content as OfficialDocument));
  await ctx.db.transaction().execute(async (trx) => {
    await recordFile(trx, stored, 'application/pdf', 'pdf');
    await trx
      .updateTable('case_documents')
      .set({ file_sha256: stored.sha256 })
      .where('id', '=', d.id)
      .where('file_sha256', 'is', null)
      .execute();
  });
  return { title: d.title, sha256: stored.sha256 };
}
