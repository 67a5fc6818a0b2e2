import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DbHandle, openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';

/**
 * A fresh, migrated database for one test file, on the engine the test project names:
 * TB_TEST_ENGINE=pglite (in-memory PGlite) or postgres (a new database on the server of TEST_DATABASE_URL,
 * created with a UTF-8 ctype and dropped afterwards).
 */
export const testEngine = (process.env.TB_TEST_ENGINE ?? 'pglite') as 'pglite' | 'postgres';

export type TestDb = DbHandle & { name: string };

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TB_TEST_ENGINE=postgres needs TEST_DATABASE_URL (postgres://…)');
  return url;
}

export async function createTestDb(): Promise<TestDb> {
  if (testEngine === 'pglite') {
    const handle = await openDatabase({ dataDir: 'memory' });
    await migrate(handle.db);
    return { ...handle, name: 'memory' };
  }
  const base = new URL(adminUrl());
  const name = `${base.pathname.slice(1) || 'tongban_test'}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(
      `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const handle = await openDatabase({
    databaseUrl: url.toString(),
    poolSize: 5,
    preparedStatements: process.env.DATABASE_PREPARED_STATEMENTS !== 'false',
  });
  await migrate(handle.db);
  return {
    ...handle,
    name,
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: base.toString() });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
