import type { Insertable } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { CatalogVersionsTable } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { today } from '../../platform/clock.js';
import { AppError, type FieldError, fieldError, notFound } from '../../platform/errors.js';
import { type Locale, translate } from '../../platform/i18n.js';
import { newId } from '../../platform/ids.js';
import type { Page } from '../../platform/paging.js';
import type { Tx } from '../../platform/tx.js';
import { issueToFieldError } from '../../platform/validation.js';
import { currentReferencing, ensureCurrent, listCurrent, refreshCurrent } from './current.js';
import { diffData } from './diff.js';
import { type DeptInfo, gramsOf, type ListDef, listDefs, type Projection, project } from './lists.js';
import { assertAdministerCatalog, canReadDrafts, catalogAdminPrefixes } from './policy.js';
import { dataIssues, type ReferenceTargets, referenceIssues, referencesOf } from './quality.js';
import * as q from './queries.js';
import type * as s from './schema.js';
import type { ListKind } from './vocab.js';

/**
 * Versions of list entries (立改废释). Every change is a new row; a version is saved as a draft or published
 * at once; publishing closes the previous published version on the new one's effective date. Nothing is
 * deleted or overwritten: a case keeps pointing at the version it was filed under.
 */

type Summary = z.output<typeof s.versionSummary>;
type Version = Summary & {
  departmentId: string | null;
  departmentName: string | null;
  data: Record<string, unknown>;
};
type ListRowOut = z.output<typeof s.listRow>;

const META_KEYS = ['code', 'reason', 'effectiveFrom', 'publish', 'action', 'baseVersionId'] as const;

export function isInEffect(
  v: { status: string; effective_from: string; effective_until: string | null },
  day = today(),
) {
  return (
    v.status === 'published' &&
    v.effective_from <= day &&
    (v.effective_until === null || v.effective_until > day)
  );
}

export function presentSummary(v: q.VersionRow, day = today()): Summary {
  return {
    id: v.id,
    entryId: v.entry_id,
    kind: v.kind,
    code: v.code,
    seq: v.seq,
    action: v.action,
    status: v.status,
    name: v.name,
    inEffect: isInEffect(v, day),
    effectiveFrom: v.effective_from,
    effectiveUntil: v.effective_until,
    reason: v.reason,
    author: { id: v.author_id, name: v.author_name },
    createdAt: v.created_at.toISOString(),
    publishedAt: v.published_at ? v.published_at.toISOString() : null,
    publishedBy: v.published_at ? { id: v.published_by_id, name: v.published_by_name ?? '' } : null,
  };
}

/** The stored data re-read through its schema, so fields added later come back with their defaults. */
export function readData(kind: ListKind, data: unknown): Record<string, unknown> {
  const parsed = listDefs[kind].schema.safeParse(data);
  return (parsed.success ? parsed.data : data) as Record<string, unknown>;
}

export function presentVersion(v: q.VersionWithData, day = today()): Version {
  return {
    ...presentSummary(v, day),
    departmentId: v.department_id,
    departmentName: v.department_name,
    data: readData(v.kind, v.data),
  };
}

function presentListRow(v: q.ListRow, day: string): ListRowOut {
  return {
    entryId: v.entry_id,
    versionId: v.id,
    code: v.code,
    name: v.name,
    type: v.type,
    departmentId: v.department_id,
    departmentName: v.department_name,
    status: v.status,
    action: v.action,
    effectiveFrom: v.effective_from,
    inEffect: isInEffect(v, day),
    data: readData(v.kind, v.data),
  };
}

function splitInput<T extends Record<string, unknown>>(
  input: T,
): { data: Record<string, unknown>; meta: Partial<Record<(typeof META_KEYS)[number], unknown>> } {
  const data: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if ((META_KEYS as readonly string[]).includes(k)) meta[k] = v;
    else data[k] = v;
  }
  return { data, meta };
}

const validation = (fields: FieldError[]) => new AppError('VALIDATION', 'error.validation', {}, { fields });

// Checks --------------------------------------------------------------------------------------------

/** Departments, files and live codes an entry references, loaded in three queries. */
export async function loadTargets(
  db: Tx,
  kind: ListKind,
  data: s.EntryData,
): Promise<{ targets: ReferenceTargets; depts: Map<string, DeptInfo> }> {
  const refs = referencesOf(kind, data);
  const deptIds = refs.flatMap((r) => (r.to === 'department' ? [r.id] : []));
  const fileIds = refs.flatMap((r) => (r.to === 'file' ? [r.id] : []));
  const entryRefs = refs.flatMap((r) => (r.to === 'entry' ? [r] : []));
  const [depts, files, live] = await Promise.all([
    q.departmentsByIds(db, deptIds),
    q.fileMetas(db, fileIds),
    q.liveCodes(
      db,
      [...new Set(entryRefs.flatMap((r) => r.kinds))],
      entryRefs.map((r) => r.code),
    ),
  ]);
  const deptMap = new Map(depts.map((d) => [d.id, d]));
  return {
    depts: deptMap,
    targets: {
      department: (id) => deptMap.has(id),
      file: (id) => files.has(id),
      entry: (k, code) => live.has(`${k}:${code}`),
    },
  };
}

/** Every rule the entry breaks, with the departments it names (for the projection). */
export async function checkEntry(
  db: Tx,
  kind: ListKind,
  data: s.EntryData,
): Promise<{ issues: FieldError[]; depts: Map<string, DeptInfo> }> {
  const { targets, depts } = await loadTargets(db, kind, data);
  return {
    issues: [...dataIssues(kind, data), ...referenceIssues(referencesOf(kind, data), targets)],
    depts,
  };
}

function regionOf(data: s.EntryData, depts: Map<string, DeptInfo>, home: string): string {
  const deptId = (data as { departmentId?: string | null }).departmentId ?? null;
  const dept = deptId ? depts.get(deptId) : undefined;
  return dept?.regionCode ?? home;
}

// Writing versions ----------------------------------------------------------------------------------

export type NewVersion = {
  entryId: string;
  kind: ListKind;
  code: string;
  seq: number;
  action: CatalogVersionsTable['action'];
  regionCode: string;
  data: s.EntryData;
  projection: Projection;
  reason: string;
  effectiveFrom: string;
  author: Actor;
  published: boolean;
};

export function versionRow(v: NewVersion, id: string = newId()): Insertable<CatalogVersionsTable> {
  const p = v.projection;
  const now = new Date();
  return {
    id,
    entry_id: v.entryId,
    kind: v.kind,
    code: v.code,
    seq: v.seq,
    action: v.action,
    status: v.published ? 'published' : 'draft',
    region_code: v.regionCode,
    name: p.name,
    department_id: p.departmentId,
    type: p.type,
    themes: p.themes,
    levels: p.levels,
    audiences: p.audiences,
    online_depth: p.onlineDepth,
    immediate: p.immediate,
    refs: p.refs,
    search_text: p.searchText.toLowerCase(),
    grams: [`#${v.kind}`, ...gramsOf(p.searchText)],
    data: JSON.stringify(v.data),
    reason: v.reason,
    author_id: v.author.id,
    author_name: v.author.displayName,
    created_at: now,
    effective_from: v.effectiveFrom,
    effective_until: null,
    published_at: v.published ? now : null,
    published_by_id: v.published ? v.author.id : null,
    published_by_name: v.published ? v.author.displayName : null,
  };
}

/**
 * Publish a draft that is its entry's newest version, inside the caller's transaction and under the entry
 * lock: re-check its references (a fee may have been repealed since), refuse a date before the version it
 * replaces, and close that version on this one's effective date.
 */
async function publishLocked(trx: Tx, entry: q.EntryRow, v: q.VersionWithData, actor: Actor): Promise<void> {
  if (v.status === 'published') throw new AppError('CONFLICT', 'error.catalogAlreadyPublished');
  if (v.seq !== entry.latest_seq)
    throw new AppError('CONFLICT', 'error.catalogNotLatest', { seq: entry.latest_seq });
  const previous = await q.latestPublished(trx, entry.id);
  if (previous && v.effective_from < previous.effective_from) {
    throw fieldError('effectiveFrom', 'effectiveOrder', 'rule.effectiveOrder', {
      date: previous.effective_from,
    });
  }
  if (v.action === 'repeal') {
    await assertNotInUse(trx, entry);
  } else {
    const { issues } = await checkEntry(trx, v.kind, readData(v.kind, v.data) as s.EntryData);
    if (issues.length > 0) throw validation(issues);
  }
  await q.markPublished(trx, v.id, { id: actor.id, name: actor.displayName }, new Date());
  await q.closePredecessors(trx, entry.id, v.seq, v.effective_from);
  await refreshCurrent(trx, [entry.id], today());
}

/** A fee, fund, intermediary service or power still referenced by an item in effect cannot be repealed. */
async function assertNotInUse(trx: Tx, entry: q.EntryRow): Promise<void> {
  if (!['fee', 'fund', 'intermediary', 'power', 'item'].includes(entry.kind)) return;
  const kinds: ListKind[] = entry.kind === 'item' ? ['permission', 'supervision', 'intermediary'] : ['item'];
  const users = await currentReferencing(trx, kinds, entry.code);
  if (users.length > 0) {
    throw fieldError('code', 'inUse', 'rule.inUse', {
      value: entry.code,
      users: users
        .slice(0, 5)
        .map((u) => `${u.name}(${u.code})`)
        .join('、'),
    });
  }
}

// Use cases -----------------------------------------------------------------------------------------

export type CatalogCtx = { db: Db; homeRegion: string };

/** 立: a new entry with its first version, a draft unless `publish`. */
export async function createEntry(
  ctx: CatalogCtx,
  actor: Actor | null,
  kind: ListKind,
  input: Record<string, unknown>,
): Promise<Version> {
  const { data: raw, meta } = splitInput(input);
  const data = raw as s.EntryData;
  const code = String(meta.code);
  return ctx.db.transaction().execute(async (trx) => {
    const { issues, depts } = await checkEntry(trx, kind, data);
    const regionCode = regionOf(data, depts, ctx.homeRegion);
    const author = assertAdministerCatalog(actor, regionCode);
    if (await q.findEntry(trx, kind, code))
      issues.unshift({ field: 'code', rule: 'unique', key: 'rule.unique', params: { value: code } });
    if (issues.length > 0) throw validation(issues);
    const entryId = newId();
    await q.insertEntries(trx, [{ id: entryId, kind, code, region_code: regionCode, latest_seq: 1 }]);
    const versionId = newId();
    await q.insertVersions(trx, [
      versionRow(
        {
          entryId,
          kind,
          code,
          seq: 1,
          action: 'create',
          regionCode,
          data,
          projection: project(kind, data, (id) => (id ? depts.get(id) : undefined)),
          reason: String(meta.reason),
          effectiveFrom: (meta.effectiveFrom as string | undefined) ?? today(),
          author,
          published: false,
        },
        versionId,
      ),
    ]);
    const entry = (await q.lockEntry(trx, entryId)) as q.EntryRow;
    if (meta.publish === true)
      await publishLocked(trx, entry, (await q.getVersion(trx, versionId)) as q.VersionWithData, author);
    await recordAudit(trx, author, {
      action: 'catalog.create',
      targetType: `catalog.${kind}`,
      targetId: code,
      regionCode,
      reason: String(meta.reason),
      after: { versionId, seq: 1, name: data.name, published: meta.publish === true },
    });
    return presentVersion((await q.getVersion(trx, versionId)) as q.VersionWithData);
  });
}

async function requireEntry(db: Tx, kind: ListKind, codeOrId: string): Promise<q.EntryRow> {
  const entry = await q.findEntry(db, kind, codeOrId);
  if (!entry) throw notFound(listDefs[kind].what);
  return entry;
}

/** 改 / 释: a full new snapshot on top of the newest version. */
export async function amendEntry(
  ctx: CatalogCtx,
  actor: Actor | null,
  kind: ListKind,
  codeOrId: string,
  input: Record<string, unknown>,
): Promise<Version> {
  const { data: raw, meta } = splitInput(input);
  const data = raw as s.EntryData;
  const found = await requireEntry(ctx.db, kind, codeOrId);
  return ctx.db.transaction().execute(async (trx) => {
    const entry = (await q.lockEntry(trx, found.id)) as q.EntryRow;
    const author = assertAdministerCatalog(actor, entry.region_code);
    const latest = (await q.versionAt(trx, entry.id, entry.latest_seq)) as q.VersionWithData;
    if (meta.baseVersionId && meta.baseVersionId !== latest.id) {
      throw new AppError('VERSION_CONFLICT', 'error.catalogStale', { seq: latest.seq });
    }
    const { issues, depts } = await checkEntry(trx, kind, data);
    const deptRegion = regionOf(data, depts, entry.region_code);
    if (deptRegion !== entry.region_code) assertAdministerCatalog(actor, deptRegion);
    if (issues.length > 0) throw validation(issues);
    const seq = entry.latest_seq + 1;
    const versionId = newId();
    const action = (meta.action as 'amend' | 'interpret' | undefined) ?? 'amend';
    await q.insertVersions(trx, [
      versionRow(
        {
          entryId: entry.id,
          kind,
          code: entry.code,
          seq,
          action,
          regionCode: entry.region_code,
          data,
          projection: project(kind, data, (id) => (id ? depts.get(id) : undefined)),
          reason: String(meta.reason),
          effectiveFrom: (meta.effectiveFrom as string | undefined) ?? today(),
          author,
          published: false,
        },
        versionId,
      ),
    ]);
    await q.setLatestSeq(trx, entry.id, seq);
    if (meta.publish === true) {
      await publishLocked(
        trx,
        { ...entry, latest_seq: seq },
        (await q.getVersion(trx, versionId)) as q.VersionWithData,
        author,
      );
    }
    await recordAudit(trx, author, {
      action: `catalog.${action}`,
      targetType: `catalog.${kind}`,
      targetId: entry.code,
      regionCode: entry.region_code,
      reason: String(meta.reason),
      before: { versionId: latest.id, seq: latest.seq },
      after: {
        versionId,
        seq,
        published: meta.publish === true,
        changed: diffData(readData(kind, latest.data), data)
          .map((c) => c.path)
          .slice(0, 50),
      },
    });
    return presentVersion((await q.getVersion(trx, versionId)) as q.VersionWithData);
  });
}

/** 废: a repeal version carrying the last published data, so the entry stays readable in history. */
export async function repealEntry(
  ctx: CatalogCtx,
  actor: Actor | null,
  kind: ListKind,
  codeOrId: string,
  input: z.output<typeof s.repealBody>,
): Promise<Version> {
  const found = await requireEntry(ctx.db, kind, codeOrId);
  return ctx.db.transaction().execute(async (trx) => {
    const entry = (await q.lockEntry(trx, found.id)) as q.EntryRow;
    const author = assertAdministerCatalog(actor, entry.region_code);
    const latest = (await q.versionAt(trx, entry.id, entry.latest_seq)) as q.VersionWithData;
    if (input.baseVersionId && input.baseVersionId !== latest.id) {
      throw new AppError('VERSION_CONFLICT', 'error.catalogStale', { seq: latest.seq });
    }
    const published = await q.latestPublished(trx, entry.id);
    if (!published || published.action === 'repeal') throw new AppError('CONFLICT', 'error.catalogNotLive');
    const data = readData(kind, published.data) as s.EntryData;
    const depts = new Map(
      (await q.departmentsByIds(trx, published.department_id ? [published.department_id] : [])).map((d) => [
        d.id,
        d,
      ]),
    );
    const seq = entry.latest_seq + 1;
    const versionId = newId();
    await q.insertVersions(trx, [
      versionRow(
        {
          entryId: entry.id,
          kind,
          code: entry.code,
          seq,
          action: 'repeal',
          regionCode: entry.region_code,
          data,
          projection: project(kind, data, (id) => (id ? depts.get(id) : undefined)),
          reason: input.reason,
          effectiveFrom: input.effectiveFrom ?? today(),
          author,
          published: false,
        },
        versionId,
      ),
    ]);
    await q.setLatestSeq(trx, entry.id, seq);
    if (input.publish) {
      await publishLocked(
        trx,
        { ...entry, latest_seq: seq },
        (await q.getVersion(trx, versionId)) as q.VersionWithData,
        author,
      );
    }
    await recordAudit(trx, author, {
      action: 'catalog.repeal',
      targetType: `catalog.${kind}`,
      targetId: entry.code,
      regionCode: entry.region_code,
      reason: input.reason,
      before: { versionId: published.id, seq: published.seq },
      after: { versionId, seq, published: input.publish },
    });
    return presentVersion((await q.getVersion(trx, versionId)) as q.VersionWithData);
  });
}

/** Draft → published. */
export async function publishVersion(
  ctx: CatalogCtx,
  actor: Actor | null,
  versionId: string,
): Promise<Version> {
  const v = await q.getVersion(ctx.db, versionId);
  if (!v) throw notFound('what.catalogVersion');
  return ctx.db.transaction().execute(async (trx) => {
    const entry = (await q.lockEntry(trx, v.entry_id)) as q.EntryRow;
    const author = assertAdministerCatalog(actor, entry.region_code);
    const fresh = (await q.getVersion(trx, versionId)) as q.VersionWithData;
    await publishLocked(trx, entry, fresh, author);
    await recordAudit(trx, author, {
      action: 'catalog.publish',
      targetType: `catalog.${entry.kind}`,
      targetId: entry.code,
      regionCode: entry.region_code,
      after: { versionId, seq: fresh.seq, action: fresh.action, effectiveFrom: fresh.effective_from },
    });
    return presentVersion((await q.getVersion(trx, versionId)) as q.VersionWithData);
  });
}

// Reading -------------------------------------------------------------------------------------------

/** One version by id, as a case refers to it. Published versions are public; drafts are for administrators. */
export async function getVersion(db: Tx, actor: Actor | null, versionId: string): Promise<Version> {
  return presentVersion(await readableVersion(db, actor, versionId));
}

/** The entry as the public sees it today, or (administrators) its newest version. */
export async function getEntry(
  db: Tx,
  actor: Actor | null,
  kind: ListKind,
  codeOrId: string,
  state: 'current' | 'latest',
): Promise<Version> {
  const entry = await requireEntry(db, kind, codeOrId);
  if (state === 'latest') {
    assertAdministerCatalog(actor, entry.region_code);
    return presentVersion((await q.versionAt(db, entry.id, entry.latest_seq)) as q.VersionWithData);
  }
  const v = await q.versionInEffect(db, entry.id, today());
  if (!v || v.action === 'repeal') throw notFound(listDefs[kind].what);
  return presentVersion(v);
}

/** The published version of an entry in effect today, by code, with its department's region (registration). */
export async function getInEffect(
  db: Tx,
  kind: ListKind,
  code: string,
): Promise<{ version: Version; departmentRegion: string | null }> {
  const v = await q.inEffectByCode(db, kind, code, today());
  if (!v || v.action === 'repeal') throw notFound(listDefs[kind].what);
  const { department_region, ...row } = v;
  return { version: presentVersion(row), departmentRegion: department_region };
}

export async function getHistory(
  db: Tx,
  actor: Actor | null,
  kind: ListKind,
  codeOrId: string,
): Promise<{ items: Summary[] }> {
  const entry = await requireEntry(db, kind, codeOrId);
  const rows = await q.history(db, entry.id, !canReadDrafts(actor, entry.region_code));
  if (rows.length === 0) throw notFound(listDefs[kind].what);
  const day = today();
  return { items: rows.map((r) => presentSummary(r, day)) };
}

async function readableVersion(db: Tx, actor: Actor | null, versionId: string): Promise<q.VersionWithData> {
  const v = await q.getVersion(db, versionId);
  if (!v || (v.status !== 'published' && !canReadDrafts(actor, v.region_code)))
    throw notFound('what.catalogVersion');
  return v;
}

/** Field-by-field changes between two versions of one entry (default: the version before). */
export async function diffVersions(db: Tx, actor: Actor | null, versionId: string, againstId?: string) {
  const to = await readableVersion(db, actor, versionId);
  let from: q.VersionWithData;
  if (againstId) {
    from = await readableVersion(db, actor, againstId);
  } else {
    const rows = await q.history(db, to.entry_id, !canReadDrafts(actor, to.region_code));
    const previous = rows.find((r) => r.seq < to.seq);
    if (!previous) throw fieldError('against', 'required', 'rule.diffFirst');
    from = (await q.getVersion(db, previous.id)) as q.VersionWithData;
  }
  if (from.entry_id !== to.entry_id) throw fieldError('against', 'sameEntry', 'rule.sameEntry');
  const [older, newer] = from.seq <= to.seq ? [from, to] : [to, from];
  const day = today();
  return {
    from: presentSummary(older, day),
    to: presentSummary(newer, day),
    changes: diffData(readData(older.kind, older.data), readData(newer.kind, newer.data)),
  };
}

export async function listEntries(
  db: Db,
  actor: Actor | null,
  kind: ListKind,
  query: s.ListQuery,
): Promise<Page<ListRowOut>> {
  const day = today();
  let page: Page<q.ListRow>;
  if (query.state === 'latest') {
    page = await q.listLatest(db, kind, { ...query, regionPrefixes: catalogAdminPrefixes(actor) });
  } else {
    await ensureCurrent(db);
    page = await listCurrent(db, kind, query);
  }
  return { ...page, items: page.items.map((r) => presentListRow(r, day)) };
}

/** Live validation for the editor: every schema and quality issue, translated, without writing. */
export async function validateEntry(
  db: Tx,
  actor: Actor | null,
  def: ListDef,
  body: Record<string, unknown>,
  locale: Locale,
) {
  catalogAdminPrefixes(actor);
  const { data: raw, meta } = splitInput(body);
  const parsed = def.schema.safeParse(raw);
  const fields: FieldError[] = [];
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      fields.push(
        issueToFieldError({
          code: i.code,
          path: i.path,
          message: i.message,
          params: i as unknown as Record<string, unknown>,
        }),
      );
    }
  } else {
    fields.push(...(await checkEntry(db, def.kind, parsed.data as s.EntryData)).issues);
  }
  if (typeof meta.code === 'string' && (await q.findEntry(db, def.kind, meta.code))) {
    fields.unshift({ field: 'code', rule: 'unique', key: 'rule.unique', params: { value: meta.code } });
  }
  return {
    ok: fields.length === 0,
    fields: fields.map((f) => ({
      field: f.field,
      rule: f.rule,
      message: translate(locale, f.key, { field: f.field, ...f.params }),
    })),
  };
}
