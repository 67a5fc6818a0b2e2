import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { CatalogCurrentTable, CatalogKind, Database } from '../../db/types.js';
import { today } from '../../platform/clock.js';
import { containsPattern, type Page } from '../../platform/paging.js';
import type { Tx } from '../../platform/tx.js';
import { queryGrams } from './lists.js';
import { bumpGeneration, type ListRow, type VersionWithData, versionsByIds } from './queries.js';
import type { ListQuery, SearchQuery } from './schema.js';

/**
 * `catalog_current`: one narrow row per entry for the version in effect today, the only table public reads
 * scan (search, lists, themes, export). The transaction that publishes a version refreshes its entry; the
 * first read of a new day refreshes the entries whose versions start or stop being in effect.
 */

type CurrentEb = ExpressionBuilder<Database & { p: CatalogCurrentTable }, 'p'>;

const CHUNK = 2000;

/** Rebuild the rows of these entries (or of all) for `day`: the newest version in effect, unless a repeal. */
export async function refreshCurrent(db: Tx, entryIds: string[] | 'all', day: string): Promise<void> {
  const run = async (ids: string[] | null) => {
    const only = ids ? sql`AND v.entry_id = ANY(${ids}::uuid[])` : sql``;
    await sql`DELETE FROM catalog_current ${ids ? sql`WHERE entry_id = ANY(${ids}::uuid[])` : sql``}`.execute(
      db,
    );
    await sql`INSERT INTO catalog_current (entry_id, version_id, kind, code, name, department_id, type, themes, levels,
        audiences, online_depth, immediate, case_kind, legal_days, promised_days, visits, refs, search_text, grams,
        effective_from)
      SELECT entry_id, id, kind, code, name, department_id, type, themes, levels, audiences, online_depth, immediate,
        case_kind, legal_days, promised_days, visits, refs, search_text, grams, effective_from
      FROM (
        SELECT DISTINCT ON (v.entry_id) v.entry_id, v.id, v.kind, v.code, v.name, v.department_id, v.type, v.themes,
          v.levels, v.audiences, v.online_depth, v.immediate, v.refs, v.search_text, v.grams, v.effective_from, v.action,
          v.data->>'caseKind' AS case_kind, (v.data->>'legalLimitDays')::int AS legal_days,
          (v.data->>'promisedLimitDays')::int AS promised_days, (v.data->>'visits')::int AS visits
        FROM catalog_versions v
        WHERE v.status = 'published' AND v.effective_from <= ${day}::date
          AND (v.effective_until IS NULL OR v.effective_until > ${day}::date) ${only}
        ORDER BY v.entry_id, v.seq DESC
      ) cur
      WHERE action <> 'repeal'`.execute(db);
  };
  if (entryIds === 'all') return run(null);
  const unique = [...new Set(entryIds)];
  for (let i = 0; i < unique.length; i += CHUNK) await run(unique.slice(i, i + CHUNK));
}

/**
 * Bring `catalog_current` to `day` inside the caller's transaction: the entries with a version whose dates
 * begin or end between the day it was last brought up to date and `day` are refreshed (all of them the first
 * time). Idempotent; concurrent callers take turns on catalog_state's row.
 */
export async function syncCurrent(trx: Tx, day: string): Promise<void> {
  const state = await trx
    .selectFrom('catalog_state')
    .select('current_day')
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirst();
  const last = state?.current_day ?? null;
  if (last === day) return;
  if (last === null) {
    await refreshCurrent(trx, 'all', day);
  } else {
    const [lo, hi] = last < day ? [last, day] : [day, last];
    const rows = await trx
      .selectFrom('catalog_versions')
      .select('entry_id')
      .distinct()
      .where('status', '=', 'published')
      .where((eb) =>
        eb.or([
          eb.and([eb('effective_from', '>', lo), eb('effective_from', '<=', hi)]),
          eb.and([eb('effective_until', '>', lo), eb('effective_until', '<=', hi)]),
        ]),
      )
      .execute();
    if (rows.length > 0)
      await refreshCurrent(
        trx,
        rows.map((r) => r.entry_id),
        day,
      );
  }
  await trx.updateTable('catalog_state').set({ current_day: day }).where('id', '=', 1).execute();
  await bumpGeneration(trx);
}

const syncedOn = new WeakMap<object, string>();

/** Before a public read: make sure catalog_current is for today (one look at catalog_state per day). */
export async function ensureCurrent(db: Db): Promise<void> {
  const day = today();
  if (syncedOn.get(db) === day) return;
  const state = await db
    .selectFrom('catalog_state')
    .select('current_day')
    .where('id', '=', 1)
    .executeTakeFirst();
  if (state?.current_day !== day) await db.transaction().execute((trx) => syncCurrent(trx, day));
  syncedOn.set(db, day);
}

// Text matching and ranking -------------------------------------------------------------------------

/** Typos are looked for in queries of three characters and more (a trigram needs three). */
export const allowsTypos = (text: string) => [...text.replace(/\s+/g, '')].length >= 3;

/**
 * Entries of a list whose search text contains every word of the query — found through the character-pair
 * index (with the list as one more "gram": `#item`), then checked — or whose code it is, or (`typos`, three
 * characters and more) that hold a word similar to it (pg_trgm `<%`: word_similarity ≥ 0.6). A run of
 * Chinese characters is one trigram "word", so `<%` alone would miss partial words such as 营业执.
 *
 * The candidates are a subquery of their own, without the list's other conditions, so the planner reads
 * them through these indexes instead of testing every row (the similarity operators look cheap to it but
 * cost microseconds a row).
 */
export function textMatch(db: Tx, kind: CatalogKind, text: string, typos: boolean) {
  const t = text.toLowerCase().trim();
  const terms = t.split(/\s+/).filter(Boolean);
  const grams = [`#${kind}`, ...queryGrams(t)];
  const base = () => db.selectFrom('catalog_current as c').select('c.entry_id');
  let candidates = base()
    .where('c.grams', '@>', sql<string[]>`${grams}::text[]`)
    .where((eb) => eb.and(terms.map((term) => eb('c.search_text', 'like', containsPattern(term)))))
    .union(base().where('c.kind', '=', kind).where('c.code', '=', text.trim()));
  if (typos && allowsTypos(t)) {
    candidates = candidates.union(
      base().where('c.kind', '=', kind).where(sql<boolean>`${t} <% c.search_text`),
    );
    // A wrong character in the middle of a short Chinese word spoils most of its trigrams (事品经营许可
    // shares 4 of 7 with 食品经营许可), so `<%` misses it. One substituted character is exactly "the text
    // holds the query with one position as a wildcard": the pair index finds the rows sharing a pair, the
    // LIKE patterns (one per position) keep those that differ by that one character only.
    const chars = [...t.replace(/\s+/g, '')];
    const pairs = queryGrams(t).filter((g) => [...g].length === 2);
    if (chars.length >= 4 && pairs.length > 0) {
      const esc = (x: string) => x.replace(/[\\%_]/g, (ch) => `\\${ch}`);
      const patterns = chars.map(
        (_, i) => `%${esc(chars.slice(0, i).join(''))}_${esc(chars.slice(i + 1).join(''))}%`,
      );
      candidates = candidates.union(
        base()
          .where('c.kind', '=', kind)
          .where('c.grams', '&&', sql<string[]>`${pairs}::text[]`)
          .where((eb) => eb.or(patterns.map((p) => eb('c.search_text', 'like', p)))),
      );
    }
  }
  return (eb: CurrentEb) => eb('p.entry_id', 'in', candidates);
}

/**
 * Relevance: the exact name or code first; then names containing the query (those starting with it first,
 * shorter before longer: 食品经营许可 before 食品经营许可变更); then other text containing it; then typos by
 * similarity, computed only for the few rows that matched as typos. Float arithmetic and byte lengths:
 * numeric maths, lower() and char_length() cost microseconds a row on PGlite.
 */
export function textScore(text: string) {
  const raw = text.trim();
  const t = raw.toLowerCase();
  return sql<number>`CASE
    WHEN p.name = ${raw} OR p.code = ${raw} THEN 100::float8
    WHEN strpos(p.name, ${raw}) > 0
      THEN (CASE WHEN starts_with(p.name, ${raw}) THEN 65::float8 ELSE 60::float8 END) - 0.05::float8 * octet_length(p.name)
    WHEN strpos(p.search_text, ${t}) > 0 THEN 30::float8 - 0.05::float8 * octet_length(p.name)
    ELSE 20::float8 * greatest(word_similarity(${t}, p.name), 0.8::float8 * word_similarity(${t}, p.search_text))
      - 0.003::float8 * octet_length(p.name)
  END`;
}

// Public reads ----------------------------------------------------------------------------------------

/** A list as the public sees it: filters, words, paging; full version rows for the page only. */
export async function listCurrent(db: Tx, kind: CatalogKind, f: ListQuery): Promise<Page<ListRow>> {
  let q = db.selectFrom('catalog_current as p').where('p.kind', '=', kind);
  if (f.departmentId) q = q.where('p.department_id', '=', f.departmentId);
  if (f.type) q = q.where('p.type', '=', f.type);
  if (f.itemCode) q = q.where('p.refs', '@>', sql<string[]>`ARRAY[${f.itemCode}]::text[]`);
  const text = f.q && f.q.length > 0 ? f.q : null;
  const filtered = q;
  // One statement: the page's version ids and the total.
  const run = async (typos: boolean) => {
    const matched = text ? filtered.where(textMatch(db, kind, text, typos)) : filtered;
    const rows = await matched
      .select(['p.version_id', sql<number>`count(*) OVER ()`.as('total')])
      .$if(!!text, (qb) => qb.orderBy(textScore(text ?? ''), 'desc'))
      .orderBy('p.code')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute();
    let total = Number(rows[0]?.total ?? 0);
    if (rows.length === 0 && f.page > 1) {
      total = Number(
        (await matched.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0,
      );
    }
    return { ids: rows.map((r) => r.version_id), total };
  };
  let result = await run(false);
  // Too few entries contain the words: look for similar ones as well (typos).
  if (text && result.total < f.page * f.pageSize && allowsTypos(text)) result = await run(true);
  return {
    items: await versionsByIds(db, result.ids),
    total: result.total,
    page: f.page,
    pageSize: f.pageSize,
  };
}

export type SearchRow = {
  entry_id: string;
  version_id: string;
  code: string;
  name: string;
  type: string | null;
  department_id: string | null;
  department_name: string;
  themes: string[];
  audiences: string[];
  online_depth: number | null;
  case_kind: string | null;
  legal_days: number | null;
  promised_days: number | null;
  visits: number | null;
  score: number;
};

/**
 * Public item search: the words (a partial word, a typo, a department, a theme) and the filters, ranked,
 * counted and paged in one statement. Typos are looked for only when too few items contain the words.
 */
export async function searchItems(db: Tx, f: SearchQuery): Promise<Page<SearchRow>> {
  let q = db.selectFrom('catalog_current as p').where('p.kind', '=', 'item');
  if (f.departmentId) q = q.where('p.department_id', '=', f.departmentId);
  if (f.type) q = q.where('p.type', '=', f.type);
  if (f.level) q = q.where('p.levels', '@>', sql<string[]>`ARRAY[${f.level}]::text[]`);
  if (f.theme) q = q.where('p.themes', '@>', sql<string[]>`ARRAY[${f.theme}]::text[]`);
  if (f.serviceObject) q = q.where('p.audiences', '@>', sql<string[]>`ARRAY[${f.serviceObject}]::text[]`);
  if (f.onlineDepth !== undefined) q = q.where('p.online_depth', '=', f.onlineDepth);
  if (f.immediate !== undefined) q = q.where('p.immediate', '=', f.immediate);
  const text = f.q && f.q.length > 0 ? f.q : null;
  const filtered = q;
  const run = async (typos: boolean) => {
    const matched = text ? filtered.where(textMatch(db, 'item', text, typos)) : filtered;
    const ranked = matched.select([
      'p.entry_id',
      (text ? textScore(text) : sql<number>`0::float8`).as('score'),
      'p.name',
    ]);
    const rows = await db
      .with('hits', () => ranked)
      .with('page', (w) =>
        w
          .selectFrom('hits')
          .select(['hits.entry_id', 'hits.score', 'hits.name', sql<number>`count(*) OVER ()`.as('total')])
          .orderBy('hits.score', 'desc')
          .orderBy('hits.name')
          .orderBy('hits.entry_id')
          .limit(f.pageSize)
          .offset((f.page - 1) * f.pageSize),
      )
      .selectFrom('page')
      .innerJoin('catalog_current as p', 'p.entry_id', 'page.entry_id')
      .innerJoin('departments as d', 'd.id', 'p.department_id')
      .select([
        'p.entry_id',
        'p.version_id',
        'p.code',
        'p.name',
        'p.type',
        'p.department_id',
        'd.name as department_name',
        'p.themes',
        'p.audiences',
        'p.online_depth',
        'p.case_kind',
        'p.legal_days',
        'p.promised_days',
        'p.visits',
        'page.score',
        'page.total',
      ])
      .orderBy('page.score', 'desc')
      .orderBy('page.name')
      .orderBy('page.entry_id')
      .execute();
    let total = Number(rows[0]?.total ?? 0);
    if (rows.length === 0 && f.page > 1) {
      total = Number(
        (
          await db
            .with('hits', () => ranked)
            .selectFrom('hits')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirst()
        )?.n ?? 0,
      );
    }
    return { rows, total };
  };
  let result = await run(false);
  // Too few items contain the words: look for similar ones as well (typos such as 食品经营许科).
  if (text && result.total < f.page * f.pageSize && allowsTypos(text)) result = await run(true);
  return {
    items: result.rows.map(({ total: _total, ...r }) => ({
      ...r,
      score: Math.round(Number(r.score) * 1000) / 1000,
    })),
    total: result.total,
    page: f.page,
    pageSize: f.pageSize,
  };
}

export async function themeCounts(db: Tx): Promise<{ theme: string; count: number }[]> {
  const rows = await db
    .selectFrom('catalog_current as p')
    .select([sql<string>`unnest(p.themes)`.as('theme')])
    .where('p.kind', '=', 'item')
    .execute();
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.theme, (counts.get(r.theme) ?? 0) + 1);
  return [...counts].map(([theme, count]) => ({ theme, count }));
}

type CurrentQuery = SelectQueryBuilder<Database & { p: CatalogCurrentTable }, 'p', object>;

async function versionsOf(db: Tx, q: CurrentQuery) {
  return versionsByIds(
    db,
    (await q.select('p.version_id').execute()).map((r) => r.version_id),
  );
}

/** Entries in effect (data included) with these codes: the guide's fees and intermediaries. */
export function currentByCodes(db: Tx, kinds: CatalogKind[], codes: string[]): Promise<VersionWithData[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return versionsOf(
    db,
    db.selectFrom('catalog_current as p').where('p.kind', 'in', kinds).where('p.code', 'in', codes),
  );
}

/** Entries in effect of `kinds` that reference `code` (the permission and supervision lists of an item …). */
export function currentReferencing(db: Tx, kinds: CatalogKind[], code: string): Promise<VersionWithData[]> {
  return versionsOf(
    db,
    db
      .selectFrom('catalog_current as p')
      .where('p.kind', 'in', kinds)
      .where('p.refs', '@>', sql<string[]>`ARRAY[${code}]::text[]`)
      .orderBy('p.code'),
  );
}

/** Every entry of a list in effect, in code order (export). */
export function allCurrent(db: Tx, kind: CatalogKind): Promise<VersionWithData[]> {
  return versionsOf(db, db.selectFrom('catalog_current as p').where('p.kind', '=', kind).orderBy('p.code'));
}
