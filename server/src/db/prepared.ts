import { createHash } from 'node:crypto';
import type pg from 'pg';

/**
 * Named (server-side prepared) statements for the platform's small, hot statements on PostgreSQL. Kysely sends
 * every query as text with parameters, so PostgreSQL parses, analyses and plans it each time; for the
 * one-row reads and writes of a case action that is half of the database's work. A statement sent with a
 * name is parsed once per connection and then only bound and executed.
 *
 * Left unprepared: statements without parameters (BEGIN, COMMIT …), and the shapes whose best plan depends on
 * the values — list pages (OFFSET), searches (LIKE, similarity), counts, bulk loads — where a generic plan could
 * be much worse than the one PostgreSQL makes for the actual values. A connection keeps at most
 * `MAX_PER_CONNECTION` names; beyond that, statements go unprepared.
 */
export const MAX_PER_CONNECTION = 400;
const UNPREPARED =
  /\b(offset|like|ilike|similarity|word_similarity|count|json_populate_recordset|unnest)\b|%>/i;

/**
 * A statement that starts with this comment is prepared whatever it contains: its author has checked that
 * one plan serves every value (its text already varies with what would change the plan).
 */
export const PREPARE = '/*prepare*/';

export function shouldPrepare(text: string, values: unknown): boolean {
  if (!Array.isArray(values) || values.length === 0 || text.length >= 8000) return false;
  return text.startsWith(PREPARE) || !UNPREPARED.test(text);
}

/** Names by statement text, so the hot path hashes a statement once per process, not once per call. */
const names = new Map<string, string>();
const NAMES_KEPT = 2000;

export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `tb_${createHash('sha1').update(text).digest('hex')}`;
    if (names.size >= NAMES_KEPT) names.clear();
    names.set(text, name);
  }
  return name;
}

type QueryFn = (...args: unknown[]) => unknown;

/** Make a pool's connections send eligible `query(text, values)` calls as named statements. */
export function prepareHotStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const prepared = new Set<string>();
    const query = client.query.bind(client) as QueryFn;
    (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
      const [text, values] = args;
      if (typeof text === 'string' && args.length === 2 && shouldPrepare(text, values)) {
        const name = statementName(text);
        if (prepared.has(name) || prepared.size < MAX_PER_CONNECTION) {
          prepared.add(name);
          return query({ name, text, values });
        }
      }
      return query(...args);
    };
  });
}
