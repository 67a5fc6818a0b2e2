import { existsSync } from 'node:fs';

const SOCKET_DIR = '/var/run/postgresql';

/**
 * The local PostgreSQL the benchmarks use unless told otherwise (`BENCH_DATABASE_URL`, `--pg-url`): its Unix
 * socket when the server listens on one — what psql and pgbench use by default on Debian, and what a server
 * on the same machine as its database should use (docs/operations/scale-out.md) — else TCP on 127.0.0.1.
 * Every part of a run (our server, the generator, pgbench) gets the same URL, so their figures compare.
 */
export function defaultPgUrl(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  return existsSync(`${SOCKET_DIR}/.s.PGSQL.5432`)
    ? `postgres://postgres@localhost/postgres?host=${SOCKET_DIR}`
    : 'postgres://postgres@127.0.0.1:5432/postgres';
}
