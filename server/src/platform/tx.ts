import type { Kysely, Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database } from '../db/types.js';

/** A transaction or the database itself: query functions accept either. */
export type Tx = Transaction<Database> | Kysely<Database>;

/**
 * Run `fn` in one transaction. Keep it short and never await outside I/O inside it: on PGlite every other
 * query waits for an open transaction.
 */
export function inTransaction<T>(db: Db, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
