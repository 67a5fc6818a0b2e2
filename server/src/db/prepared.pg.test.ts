import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../test/db.js';
import { shouldPrepare, statementName } from './prepared.js';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

describe('prepared statements on PostgreSQL', () => {
  it('a hot one-row read is parsed once per connection and answers the same as before', async () => {
    const id = '00000000-0000-7000-8000-000000000001';
    const names = await t.db.connection().execute(async (c) => {
      for (let i = 0; i < 3; i++) {
        const row = await c
          .selectFrom('staff')
          .select(['id', 'username'])
          .where('id', '=', id)
          .executeTakeFirst();
        expect(row).toBeUndefined();
      }
      const listed = await sql<{ name: string; statement: string }>`
        SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'tb_%'`.execute(c);
      return listed.rows;
    });
    const staffRead = names.filter((n) => n.statement.includes('from "staff"'));
    expect(staffRead).toHaveLength(1);
    expect(staffRead[0].name).toBe(statementName(staffRead[0].statement));
  });

  it('list pages, searches, counts and statements without parameters are left to the planner each time', () => {
    expect(shouldPrepare('select * from "cases" where "id" = $1', ['x'])).toBe(true);
    expect(shouldPrepare('select * from "cases" where "status" = $1 limit $2 offset $3', ['a', 1, 0])).toBe(
      false,
    );
    expect(shouldPrepare('select * from "catalog_current" where "name" like $1', ['%证%'])).toBe(false);
    expect(shouldPrepare('select count(*) as "n" from "cases" where "department_id" = $1', ['d'])).toBe(
      false,
    );
    expect(shouldPrepare('begin', [])).toBe(false);
  });
});
