import { type RawBuilder, sql } from 'kysely';

/**
 * `INSERT INTO <table> (<columns>) SELECT $1, $2 … FROM <source>`: the row is written once if the common table
 * expression `source` yields a row, and not at all if it yields none. It lets one statement make a
 * conditional change and write what goes with it (timeline, audit, outbox) — one round trip, no
 * transaction — where a lost race writes nothing. PostgreSQL types the parameters from the target columns;
 * `undefined` values are left to the column default. `source` must yield at most one row.
 */
export function insertFrom(table: string, row: Record<string, unknown>, source: string): RawBuilder<unknown> {
  const columns = Object.keys(row).filter((k) => row[k] !== undefined);
  return sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) SELECT ${sql.join(
    columns.map((c) => sql`${row[c]}`),
  )} FROM ${sql.table(source)}`;
}
