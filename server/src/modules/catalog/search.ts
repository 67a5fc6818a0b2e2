import { sql } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import * as current from './current.js';
import { ensureCurrent } from './current.js';
import type * as s from './schema.js';
import { enterpriseStages, lifeEvents } from './vocab.js';

/** Public search over the items in effect, and theme browsing. No login needed. */

export async function searchItems(db: Db, query: s.SearchQuery): Promise<z.output<typeof s.searchResult>> {
  await ensureCurrent(db);
  const page = await current.searchItems(db, query);
  return {
    ...page,
    items: page.items.map((r) => ({
      entryId: r.entry_id,
      versionId: r.version_id,
      code: r.code,
      name: r.name,
      type: r.type as s.ItemData['type'],
      departmentId: r.department_id ?? '',
      departmentName: r.department_name,
      serviceObjects: r.audiences,
      themes: r.themes,
      onlineDepth: r.online_depth ?? 1,
      caseKind: r.case_kind ?? '',
      legalLimitDays: r.legal_days ?? 0,
      promisedLimitDays: r.promised_days ?? 0,
      visits: r.visits ?? 0,
      score: r.score,
    })),
  };
}

export async function themes(db: Db): Promise<z.output<typeof s.themeCounts>> {
  await ensureCurrent(db);
  const counts = new Map((await current.themeCounts(db)).map((c) => [c.theme, c.count]));
  return {
    lifeEvents: lifeEvents.map((theme) => ({ theme, count: counts.get(theme) ?? 0 })),
    enterpriseStages: enterpriseStages.map((theme) => ({ theme, count: counts.get(theme) ?? 0 })),
  };
}

/**
 * pg_trgm sees Chinese characters only in a database whose LC_CTYPE is UTF-8: elsewhere every similarity is
 * 0 and search finds nothing. Returns a warning to log at start, or null when all is well.
 */
export async function searchLocaleWarning(db: Db): Promise<string | null> {
  const row = await sql<{
    ctype: string;
  }>`SELECT datctype AS ctype FROM pg_database WHERE datname = current_database()`
    .execute(db)
    .then((r) => r.rows[0]);
  const ctype = row?.ctype ?? '';
  if (/utf-?8/i.test(ctype)) return null;
  return (
    `The database's LC_CTYPE is "${ctype}", not UTF-8: catalog search cannot match Chinese text (pg_trgm ignores ` +
    'non-ASCII characters). Create the database with `createdb -T template0 --encoding=UTF8 --lc-ctype=C.UTF-8 …` ' +
    '/ 数据库 LC_CTYPE 不是 UTF-8,事项搜索无法匹配中文。'
  );
}
