import { type PGlite, parse, protocol, type Results, type Transaction } from '@electric-sql/pglite';
import { MAX_PER_CONNECTION, shouldPrepare, statementName } from './prepared.js';

/**
 * Named prepared statements on PGlite, by the same rule as on PostgreSQL (prepared.ts: one-row reads and
 * writes, and statements marked `/*prepare*\/`; not pages, searches or counts). PGlite's `query` parses,
 * analyses and plans every statement, and asks the engine for the parameters' types before binding them —
 * six calls into the WebAssembly module per statement. A statement prepared here is parsed and described
 * once per instance; after that each call is one buffer of Bind, Describe, Execute and Sync: measured on a
 * migrated database with 5,000 cases, a case read by id 2.5 → 0.8 ms and the inbox page 7 → 3–5 ms.
 *
 * Everything else is PGlite's own: the same exclusive locks (no statement runs inside another caller's
 * transaction), the same value serializers chosen by the parameter types PostgreSQL reports, the same result
 * parsers, the same errors (a `DatabaseError` with PostgreSQL's code), the same sync to the file system after
 * a statement outside a transaction. Statements not eligible, and any beyond PostgreSQL's per-connection cap
 * (`MAX_PER_CONNECTION`, one PGlite instance being one connection), take PGlite's own path.
 */

type QueryOptions = Parameters<PGlite['query']>[2];
type Statement = { name: string; types: number[] };

export type PreparedPGlite = {
  /** A drop-in for `pglite.query` outside a transaction. */
  query<T>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  /** A drop-in for `pglite.transaction`, whose transaction's `query` prepares too. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
};

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function preparedPGlite(pglite: PGlite): PreparedPGlite {
  const statements = new Map<string, Statement>();
  const { serialize } = protocol;

  /** Parse and describe `text` under its name; runs inside the caller's exclusive query lock. */
  async function prepare(text: string): Promise<Statement> {
    const name = statementName(text);
    const messages = await pglite.execProtocolStream(
      concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const statement = { name, types: parse.parseDescribeStatementResults(messages) };
    statements.set(text, statement);
    return statement;
  }

  /** One prepared statement's round into the engine; runs inside the caller's exclusive query lock. */
  async function run<T>(text: string, params: unknown[], options: QueryOptions): Promise<Results<T>> {
    const s = statements.get(text) ?? (await prepare(text));
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const type = s.types[i];
      const serializer = options?.serializers?.[type] ?? pglite.serializers[type];
      return serializer ? serializer(v) : String(v);
    });
    const messages = await pglite.execProtocolStream(
      concat([
        serialize.bind({ statement: s.name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    return parse.parseResults(messages, pglite.parsers, options)[0] as Results<T>;
  }

  /** PGlite's blob option (COPY … '/dev/blob') stays on its own path. */
  function eligible(text: string, params: unknown[] | undefined, opts: QueryOptions): params is unknown[] {
    return (
      !opts?.blob &&
      shouldPrepare(text, params) &&
      (statements.has(text) || statements.size < MAX_PER_CONNECTION)
    );
  }

  return {
    async query<T>(text: string, params?: unknown[], opts?: QueryOptions): Promise<Results<T>> {
      if (!eligible(text, params, opts)) return pglite.query<T>(text, params, opts);
      await pglite._checkReady();
      return pglite._runExclusiveTransaction(() =>
        pglite._runExclusiveQuery(async () => {
          const result = await run<T>(text, params, opts);
          await pglite.syncToFs();
          return result;
        }),
      );
    },
    transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
      return pglite.transaction((tx) => {
        const prepared: Transaction = Object.create(tx, {
          query: {
            value: async <R>(text: string, params?: unknown[], opts?: QueryOptions): Promise<Results<R>> => {
              if (!eligible(text, params, opts)) return tx.query<R>(text, params, opts);
              if (tx.closed) throw new Error('Transaction is closed');
              return pglite._runExclusiveQuery(() => run<R>(text, params, opts));
            },
          },
        });
        return fn(prepared);
      });
    },
  };
}
