import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.js';
import { searchLocaleWarning } from './search.js';

/** PostgreSQL only (the `postgres` test project runs *.pg.test.ts): PGlite's ctype is always UTF-8. */
describe('database locale check', () => {
  it('the start-up check warns about a database with LC_CTYPE=C', async () => {
    const base = new URL(process.env.TEST_DATABASE_URL as string);
    const name = `tongban_ctype_c_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 LC_CTYPE 'C' LC_COLLATE 'C'`);
    try {
      const url = new URL(base.toString());
      url.pathname = `/${name}`;
      const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
      try {
        expect(await searchLocaleWarning(handle.db)).toContain('not UTF-8');
      } finally {
        await handle.close();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
