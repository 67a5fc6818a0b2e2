import type { SelectQueryBuilder } from 'kysely';
import type { Database } from '../db/types.js';
import type { PageQuery } from './validation.js';

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/**
 * Count and fetch one page of a filtered query. The count runs on the same filters without ordering;
 * `order` is applied to the page only.
 */
export async function paginate<DB extends Database, TB extends keyof DB, O, R>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: PageQuery,
  fetch: (q: SelectQueryBuilder<DB, TB, O>) => Promise<R[]>,
): Promise<Page<R>> {
  const countRow = await query
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const total = Number((countRow as { n?: number } | undefined)?.n ?? 0);
  const items = await fetch(query.limit(page.pageSize).offset((page.page - 1) * page.pageSize));
  return { items, total, page: page.page, pageSize: page.pageSize };
}

/** A LIKE pattern that matches `text` anywhere, with the wildcards in it escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
