import { type ExpressionBuilder, type Insertable, sql } from 'kysely';
import type { CatalogEntriesTable, CatalogKind, CatalogVersionsTable, Database } from '../../db/types.js';
import { containsPattern, type Page } from '../../platform/paging.js';
import type { Tx } from '../../platform/tx.js';
import type { DeptInfo } from './lists.js';
import type { ListQuery } from './schema.js';

/** SQL of the catalog. Only this module's services call it. */

export type EntryRow = {
  id: string;
  kind: CatalogKind;
  code: string;
  region_code: string;
  latest_seq: number;
};

export type VersionRow = {
  id: string;
  entry_id: string;
  kind: CatalogKind;
  code: string;
  seq: number;
  action: CatalogVersionsTable['action'];
  status: CatalogVersionsTable['status'];
  region_code: string;
  name: string;
  department_id: string | null;
  department_name: string | null;
  type: string | null;
  reason: string;
  author_id: string | null;
  author_name: string;
  created_at: Date;
  effective_from: string;
  effective_until: string | null;
  published_at: Date | null;
  published_by_id: string | null;
  published_by_name: string | null;
};

export type VersionWithData = VersionRow & { data: unknown };

type VersionEb = ExpressionBuilder<Database & { v: CatalogVersionsTable }, 'v'>;

const summaryColumns = [
  'v.id',
  'v.entry_id',
  'v.kind',
  'v.code',
  'v.seq',
  'v.action',
  'v.status',
  'v.region_code',
  'v.name',
  'v.department_id',
  'd.name as department_name',
  'v.type',
  'v.reason',
  'v.author_id',
  'v.author_name',
  'v.created_at',
  'v.effective_from',
  'v.effective_until',
  'v.published_at',
  'v.published_by_id',
  'v.published_by_name',
] as const;

/** Published, effective on `day` and not yet superseded: the version the public sees. */
export function inEffectOn(day: string) {
  return (eb: VersionEb) =>
    eb.and([
      eb('v.status', '=', 'published'),
      eb('v.effective_from', '<=', day),
      eb.or([eb('v.effective_until', 'is', null), eb('v.effective_until', '>', day)]),
    ]);
}

function versions(db: Tx) {
  return db.selectFrom('catalog_versions as v').leftJoin('departments as d', 'd.id', 'v.department_id');
}

// Entries -------------------------------------------------------------------------------------------

export function findEntry(db: Tx, kind: CatalogKind, codeOrId: string): Promise<EntryRow | undefined> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(codeOrId);
  return db
    .selectFrom('catalog_entries')
    .select(['id', 'kind', 'code', 'region_code', 'latest_seq'])
    .where('kind', '=', kind)
    .where(isId ? 'id' : 'code', '=', codeOrId)
    .executeTakeFirst();
}

/** Lock the entry for a change: two editors of one entry take turns, and the second sees the first's version. */
export function lockEntry(trx: Tx, id: string): Promise<EntryRow | undefined> {
  return trx
    .selectFrom('catalog_entries')
    .select(['id', 'kind', 'code', 'region_code', 'latest_seq'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertEntries(
  db: Tx,
  rows: Insertable<CatalogEntriesTable>[],
  chunk = 1000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto('catalog_entries')
      .values(rows.slice(i, i + chunk))
      .execute();
  }
}

export async function setLatestSeq(db: Tx, id: string, seq: number): Promise<void> {
  await db
    .updateTable('catalog_entries')
    .set({ latest_seq: seq, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function entryCodes(
  db: Tx,
  kinds: CatalogKind[],
  codes: string[],
): Promise<Map<string, EntryRow>> {
  const out = new Map<string, EntryRow>();
  if (codes.length === 0) return out;
  for (let i = 0; i < codes.length; i += 2000) {
    const rows = await db
      .selectFrom('catalog_entries')
      .select(['id', 'kind', 'code', 'region_code', 'latest_seq'])
      .where('kind', 'in', kinds)
      .where('code', 'in', codes.slice(i, i + 2000))
      .execute();
    for (const r of rows) out.set(`${r.kind}:${r.code}`, r);
  }
  return out;
}

// Versions ------------------------------------------------------------------------------------------

export async function insertVersions(
  db: Tx,
  rows: Insertable<CatalogVersionsTable>[],
  chunk = 250,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto('catalog_versions')
      .values(rows.slice(i, i + chunk))
      .execute();
  }
  if (rows.length > 0) await bumpGeneration(db);
}

/** Every write to the catalog moves the generation on, in its own transaction (see cache.ts). */
export async function bumpGeneration(db: Tx): Promise<void> {
  await db
    .updateTable('catalog_state')
    .set((eb) => ({ generation: eb('generation', '+', 1), changed_at: new Date() }))
    .where('id', '=', 1)
    .execute();
}

/**
 * After a bulk load: merge the GIN pending lists (PGlite has no autovacuum to do it) and refresh the
 * planner's statistics, so searches use the indexes at once. Outside a transaction.
 */
export async function settleIndexes(db: Tx): Promise<void> {
  for (const index of [
    'catalog_current_search_idx',
    'catalog_current_grams_idx',
    'catalog_current_refs_idx',
    'catalog_current_themes_idx',
  ]) {
    await sql`SELECT gin_clean_pending_list(${index}::regclass)`.execute(db);
  }
  await sql`ANALYZE catalog_current, catalog_versions, catalog_entries`.execute(db);
}

export async function generation(db: Tx): Promise<number> {
  const row = await db
    .selectFrom('catalog_state')
    .select('generation')
    .where('id', '=', 1)
    .executeTakeFirst();
  return Number(row?.generation ?? 0);
}

export function getVersion(db: Tx, id: string): Promise<VersionWithData | undefined> {
  return versions(db)
    .select([...summaryColumns, 'v.data'])
    .where('v.id', '=', id)
    .executeTakeFirst();
}

export function versionAt(db: Tx, entryId: string, seq: number): Promise<VersionWithData | undefined> {
  return versions(db)
    .select([...summaryColumns, 'v.data'])
    .where('v.entry_id', '=', entryId)
    .where('v.seq', '=', seq)
    .executeTakeFirst();
}

export function history(db: Tx, entryId: string, publishedOnly: boolean): Promise<VersionRow[]> {
  let q = versions(db).select(summaryColumns).where('v.entry_id', '=', entryId);
  if (publishedOnly) q = q.where('v.status', '=', 'published');
  return q.orderBy('v.seq', 'desc').execute();
}

/** The newest published version (by sequence), whatever its dates. */
export function latestPublished(db: Tx, entryId: string): Promise<VersionWithData | undefined> {
  return versions(db)
    .select([...summaryColumns, 'v.data'])
    .where('v.entry_id', '=', entryId)
    .where('v.status', '=', 'published')
    .orderBy('v.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The version in effect on `day`, repealed or not; undefined before the first one takes effect. */
export function versionInEffect(db: Tx, entryId: string, day: string): Promise<VersionWithData | undefined> {
  return versions(db)
    .select([...summaryColumns, 'v.data'])
    .where('v.entry_id', '=', entryId)
    .where(inEffectOn(day))
    .orderBy('v.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * The version of the entry with this code in effect on `day`, with its department's region code, in one
 * query (a registration files under it).
 */
export function inEffectByCode(db: Tx, kind: CatalogKind, code: string, day: string) {
  return versions(db)
    .innerJoin('catalog_entries as e', 'e.id', 'v.entry_id')
    .select([...summaryColumns, 'v.data', 'd.region_code as department_region'])
    .where('e.kind', '=', kind)
    .where('e.code', '=', code)
    .where(inEffectOn(day))
    .orderBy('v.seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function markPublished(
  db: Tx,
  id: string,
  by: { id: string | null; name: string },
  at: Date,
): Promise<void> {
  await db
    .updateTable('catalog_versions')
    .set({ status: 'published', published_at: at, published_by_id: by.id, published_by_name: by.name })
    .where('id', '=', id)
    .execute();
  await bumpGeneration(db);
}

/** Close the open published versions before `seq`: they stay in effect until the successor's date. */
export async function closePredecessors(db: Tx, entryId: string, seq: number, until: string): Promise<void> {
  await db
    .updateTable('catalog_versions')
    .set({ effective_until: until })
    .where('entry_id', '=', entryId)
    .where('status', '=', 'published')
    .where('effective_until', 'is', null)
    .where('seq', '<', seq)
    .execute();
}

export type ListRow = VersionRow & { data: unknown };

/** Administrators' view of a list: every entry's newest version, drafts and repeals included. */
export async function listLatest(
  db: Tx,
  kind: CatalogKind,
  f: ListQuery & { regionPrefixes: string[] | null },
): Promise<Page<ListRow>> {
  let q = versions(db)
    .innerJoin('catalog_entries as e', (j) =>
      j.onRef('e.id', '=', 'v.entry_id').onRef('e.latest_seq', '=', 'v.seq'),
    )
    .where('v.kind', '=', kind);
  if (f.regionPrefixes) {
    const prefixes = f.regionPrefixes;
    if (prefixes.length === 0) q = q.where(sql<boolean>`false`);
    else q = q.where((eb) => eb.or(prefixes.map((p) => eb('v.region_code', 'like', `${p}%`))));
  }
  if (f.departmentId) q = q.where('v.department_id', '=', f.departmentId);
  if (f.type) q = q.where('v.type', '=', f.type);
  if (f.itemCode) q = q.where('v.refs', '@>', sql<string[]>`ARRAY[${f.itemCode}]::text[]`);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) =>
      eb.or([eb('v.search_text', 'like', containsPattern(text.toLowerCase())), eb('v.code', '=', text)]),
    );
  }
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const items = await q
    .select([...summaryColumns, 'v.data'])
    .orderBy('v.code')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { items, total, page: f.page, pageSize: f.pageSize };
}

/** Full version rows (data included) by id, in the order given. */
export async function versionsByIds(db: Tx, ids: string[]): Promise<VersionWithData[]> {
  if (ids.length === 0) return [];
  const rows = await versions(db)
    .select([...summaryColumns, 'v.data'])
    .where('v.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Codes that can be referenced: the entry's newest published version is not a repeal. Returns `kind:code`.
 */
export async function liveCodes(db: Tx, kinds: CatalogKind[], codes: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (codes.length === 0 || kinds.length === 0) return out;
  const unique = [...new Set(codes)];
  for (let i = 0; i < unique.length; i += 2000) {
    const rows = await db
      .selectFrom('catalog_versions as v')
      .select(['v.kind', 'v.code', 'v.action'])
      .distinctOn(['v.kind', 'v.code'])
      .where('v.kind', 'in', kinds)
      .where('v.code', 'in', unique.slice(i, i + 2000))
      .where('v.status', '=', 'published')
      .orderBy('v.kind')
      .orderBy('v.code')
      .orderBy('v.seq', 'desc')
      .execute();
    for (const r of rows) if (r.action !== 'repeal') out.add(`${r.kind}:${r.code}`);
  }
  return out;
}

/** Every live entry code of some kinds (import checks references against the database and the workbook). */
export async function allLiveCodes(db: Tx, kinds: CatalogKind[]): Promise<Set<string>> {
  const rows = await db
    .selectFrom('catalog_versions as v')
    .select(['v.kind', 'v.code', 'v.action'])
    .distinctOn(['v.kind', 'v.code'])
    .where('v.kind', 'in', kinds)
    .where('v.status', '=', 'published')
    .orderBy('v.kind')
    .orderBy('v.code')
    .orderBy('v.seq', 'desc')
    .execute();
  return new Set(rows.filter((r) => r.action !== 'repeal').map((r) => `${r.kind}:${r.code}`));
}

export async function catalogIsEmpty(db: Tx): Promise<boolean> {
  const row = await db.selectFrom('catalog_entries').select('id').limit(1).executeTakeFirst();
  return !row;
}

// Departments and files -----------------------------------------------------------------------------

export async function allDepartments(db: Tx): Promise<DeptInfo[]> {
  const rows = await db
    .selectFrom('departments')
    .select(['id', 'name', 'short_name', 'region_code'])
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, shortName: r.short_name, regionCode: r.region_code }));
}

export async function departmentsByIds(db: Tx, ids: string[]): Promise<DeptInfo[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('departments')
    .select(['id', 'name', 'short_name', 'region_code'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, shortName: r.short_name, regionCode: r.region_code }));
}

export type FileMeta = { id: string; name: string; content_type: string; size: number; sha256: string };

export async function fileMetas(db: Tx, ids: string[]): Promise<Map<string, FileMeta>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('catalog_files')
    .select(['id', 'name', 'content_type', 'size', 'sha256'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export function findFileBySha(db: Tx, sha256: string, name: string): Promise<FileMeta | undefined> {
  return db
    .selectFrom('catalog_files')
    .select(['id', 'name', 'content_type', 'size', 'sha256'])
    .where('sha256', '=', sha256)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertFile(
  db: Tx,
  row: {
    id: string;
    name: string;
    content_type: string;
    size: number;
    sha256: string;
    bytes: Uint8Array;
    created_by: string | null;
  },
): Promise<void> {
  await db.insertInto('catalog_files').values(row).execute();
}

export function getFile(db: Tx, id: string): Promise<(FileMeta & { bytes: Uint8Array }) | undefined> {
  return db
    .selectFrom('catalog_files')
    .select(['id', 'name', 'content_type', 'size', 'sha256', 'bytes'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// Import and export ---------------------------------------------------------------------------------

export type LatestRow = {
  entry_id: string;
  id: string;
  seq: number;
  status: 'draft' | 'published';
  data: unknown;
};

/** The newest version of each entry (drafts included), in batches. */
export async function latestVersionsOf(db: Tx, entryIds: string[]): Promise<Map<string, LatestRow>> {
  const out = new Map<string, LatestRow>();
  for (let i = 0; i < entryIds.length; i += 1000) {
    const rows = await db
      .selectFrom('catalog_versions as v')
      .innerJoin('catalog_entries as e', (j) =>
        j.onRef('e.id', '=', 'v.entry_id').onRef('e.latest_seq', '=', 'v.seq'),
      )
      .select(['v.entry_id', 'v.id', 'v.seq', 'v.status', 'v.data'])
      .where('e.id', 'in', entryIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.entry_id, r);
  }
  return out;
}

/** The effective date of each entry's newest published version. */
export type PublishedRow = {
  entry_id: string;
  effective_from: string;
  action: CatalogVersionsTable['action'];
  data: unknown;
};

/** The newest published version of each entry: its date, whether it repealed, its data. */
export async function latestPublishedOf(db: Tx, entryIds: string[]): Promise<Map<string, PublishedRow>> {
  const out = new Map<string, PublishedRow>();
  for (let i = 0; i < entryIds.length; i += 1000) {
    const rows = await db
      .selectFrom('catalog_versions as v')
      .select(['v.entry_id', 'v.effective_from', 'v.action', 'v.data'])
      .distinctOn('v.entry_id')
      .where('v.entry_id', 'in', entryIds.slice(i, i + 1000))
      .where('v.status', '=', 'published')
      .orderBy('v.entry_id')
      .orderBy('v.seq', 'desc')
      .execute();
    for (const r of rows) out.set(r.entry_id, r);
  }
  return out;
}

export async function allFileIds(db: Tx, ids: string[]): Promise<Set<string>> {
  return new Set((await fileMetas(db, ids)).keys());
}
