import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { preparedPGlite } from './pglite-prepared.js';
import { prepareHotStatements } from './prepared.js';
import { parseTimestamptz } from './timestamptz.js';
import type { Database } from './types.js';

export type Engine = 'pglite' | 'postgres';

export type Db = Kysely<Database> & { engine: Engine };

export type DbHandle = {
  db: Db;
  /**
   * Where lag-tolerant reads go (db/read.ts): a streaming replica when READ_DATABASE_URL is set, else `db`
   * itself. Never written to.
   */
  readDb: Db;
  engine: Engine;
  /** Where the data lives, for the start banner: a folder, "memory" or the PostgreSQL URL without password. */
  location: string;
  /** The connection string on PostgreSQL: the job runner opens its own LISTEN connection with it. */
  url?: string;
  /** The embedded instance on PGlite: the job runner LISTENs on it in-process. */
  pglite?: PGlite;
  close(): Promise<void>;
};

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
const TIMESTAMPTZ = 1184;

// The same values come back from both engines: bigint counts as numbers, dates as 'YYYY-MM-DD'.
pg.types.setTypeParser(INT8, (v: string) => Number(v));
pg.types.setTypeParser(DATE, (v: string) => v);
pg.types.setTypeParser(NUMERIC, (v: string) => Number(v));
// Timestamps as Dates still, read with fixed positions instead of regular expressions (timestamptz.ts).
pg.types.setTypeParser(TIMESTAMPTZ, parseTimestamptz);

export type OpenOptions = {
  databaseUrl?: string;
  /** PGlite data folder, or "memory". */
  dataDir?: string;
  /** A migrated PGlite data folder dump to start from (tests use it to skip migrations). */
  loadDataDir?: Blob;
  poolSize?: number;
  /** Named prepared statements for hot statements (default true; prepared.ts, pglite-prepared.ts). */
  preparedStatements?: boolean;
  /** A streaming replica of `databaseUrl` for lag-tolerant reads (PostgreSQL only). */
  readDatabaseUrl?: string;
  /**
   * PGlite's buffer pool, e.g. "32MB" (the default; PGLITE_SHARED_BUFFERS). Its data files are read through
   * the operating system's cache, so a large pool inside the WebAssembly heap — which never gives memory
   * back — mostly holds the same pages twice (docs/decisions/2026-11-21-pglite-memory.md).
   */
  pgliteSharedBuffers?: string;
};

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Statements sent per database (PostgreSQL pools): /metrics shows them, the benchmark divides them by work. */
const statementCounts = new WeakMap<Db, { n: number }>();

/**
 * The SQL statements this process has sent through `db`'s pool so far — every one, BEGIN and COMMIT
 * included, since each is a round trip. Null for PGlite (in process: no round trips to count).
 */
export function statementsSent(db: Db): number | null {
  return statementCounts.get(db)?.n ?? null;
}

function postgresDb(url: string, poolSize: number, prepared = true): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server ends (restart, failover, a dropped test database) must not crash the
  // process: the pool discards it and opens a new one on the next query, which reports any real outage.
  pool.on('error', () => {});
  const count = { n: 0 };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      count.n += 1;
      return query(...args);
    };
  });
  if (prepared) prepareHotStatements(pool);
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const db = Object.assign(kysely, { engine: 'postgres' as const });
  statementCounts.set(db, count);
  return db;
}

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.readDatabaseUrl && !opts.databaseUrl) {
    throw new Error('READ_DATABASE_URL needs DATABASE_URL: a replica is of a PostgreSQL primary');
  }
  if (opts.databaseUrl) {
    const db = postgresDb(opts.databaseUrl, opts.poolSize ?? 10, opts.preparedStatements);
    const replica = opts.readDatabaseUrl
      ? postgresDb(opts.readDatabaseUrl, opts.poolSize ?? 10, opts.preparedStatements)
      : null;
    return {
      db,
      readDb: replica ?? db,
      engine: 'postgres',
      location: `${redactUrl(opts.databaseUrl)}${opts.readDatabaseUrl ? ` (reads: ${redactUrl(opts.readDatabaseUrl)})` : ''}`,
      url: opts.databaseUrl,
      close: async () => {
        await db.destroy();
        await replica?.destroy();
      },
    };
  }
  const dataDir = opts.dataDir ?? './data';
  const memory = dataDir === 'memory';
  let target: string | undefined;
  if (!memory) {
    target = resolve(dataDir, 'pglite');
    mkdirSync(target, { recursive: true });
  }
  const pglite = await PGlite.create(target, {
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${opts.pgliteSharedBuffers ?? '32MB'}`],
    extensions: { pg_trgm },
    parsers: {
      [INT8]: (v: string) => Number(v),
      [DATE]: (v: string) => v,
      [NUMERIC]: (v: string) => Number(v),
    },
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
  });
  const kysely = new Kysely<Database>({
    dialect: new PGliteDialect({
      pglite: opts.preparedStatements === false ? pglite : withPreparedStatements(pglite),
    }),
  });
  const db = Object.assign(kysely, { engine: 'pglite' as const });
  return {
    db,
    readDb: db,
    engine: 'pglite',
    location: memory ? 'memory' : (target as string),
    pglite,
    close: async () => {
      await kysely.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** `pglite` as Kysely's dialect sees it: its `query` and `transaction` prepare hot statements (pglite-prepared.ts). */
function withPreparedStatements(pglite: PGlite): PGlite {
  const prepared = preparedPGlite(pglite);
  return new Proxy(pglite, {
    get(target, key) {
      if (key === 'query') return prepared.query;
      if (key === 'transaction') return prepared.transaction;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export async function ping(db: Db): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
