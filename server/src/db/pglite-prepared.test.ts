import { Kysely, PGliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb, testEngine } from '../test/db.js';
import type { Database } from './types.js';

type Row = { id: string; n: number; d: string; at: Date; j: unknown; tags: string[]; note: string | null };

let t: TestDb;
/** The same PGlite instance through PGlite's own `query`: what every statement answered before. */
let plain: Kysely<Database>;

const ids = ['00000000-0000-7000-8000-0000000000a1', '00000000-0000-7000-8000-0000000000a2'];

beforeAll(async () => {
  if (testEngine !== 'pglite') return;
  t = await createTestDb();
  const pglite = t.pglite;
  if (!pglite) throw new Error('PGlite test database without its instance');
  plain = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  await sql`CREATE TABLE prep_probe (id uuid PRIMARY KEY, n int8, d date, at timestamptz, j jsonb,
    tags text[], note text)`.execute(t.db);
});
afterAll(async () => {
  if (testEngine === 'pglite') await t.close();
});

const insert = (db: Kysely<Database>, id: string, note: string | null) =>
  sql`INSERT INTO prep_probe VALUES (${id}, ${9007199254740991}, ${'2026-11-23'},
    ${new Date('2026-11-22T03:04:05.678Z')}, ${JSON.stringify({ a: [1, '二'] })}::jsonb, ${['甲', 'b,c']}, ${note})`.execute(
    db,
  );
const read = (db: Kysely<Database>, id: string) =>
  sql<Row>`SELECT * FROM prep_probe WHERE id = ${id}`.execute(db).then((r) => r.rows[0]);

describe.skipIf(testEngine !== 'pglite')('prepared statements on PGlite', () => {
  it('a hot statement is parsed once and answers exactly as PGlite itself does', async () => {
    await insert(t.db, ids[0], null);
    const mine = await read(t.db, ids[0]);
    expect(mine).toEqual(await read(plain, ids[0]));
    expect(mine).toEqual({
      id: ids[0],
      n: 9007199254740991,
      d: '2026-11-23',
      at: new Date('2026-11-22T03:04:05.678Z'),
      j: { a: [1, '二'] },
      tags: ['甲', 'b,c'],
      note: null,
    });
    // Parameters typed by what PostgreSQL reports: an array bound as uuid[], a null.
    const byAny = await sql<{ id: string }>`SELECT id FROM prep_probe WHERE id = ANY(${ids}::uuid[])
      AND (${null}::text IS NULL)`.execute(t.db);
    expect(byAny.rows).toEqual([{ id: ids[0] }]);
    await read(t.db, ids[0]);
    const listed = await sql<{ name: string; statement: string }>`
      SELECT name, statement FROM pg_prepared_statements`.execute(plain);
    const reads = listed.rows.filter((s) => s.statement.startsWith('SELECT * FROM prep_probe'));
    expect(reads).toHaveLength(1);
    expect(reads[0].name).toMatch(/^tb_[0-9a-f]{40}$/);
  });

  it('a failed statement reports PostgreSQL’s code, and a failed transaction leaves nothing behind', async () => {
    await expect(insert(t.db, ids[0], 'again')).rejects.toMatchObject({ code: '23505' });
    expect((await read(t.db, ids[0])).note).toBeNull();
    await expect(
      t.db.transaction().execute(async (trx) => {
        await insert(trx, ids[1], 'inside');
        expect((await read(trx, ids[1])).note).toBe('inside');
        await insert(trx, ids[0], 'duplicate');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await read(t.db, ids[1])).toBeUndefined();
    expect(await read(plain, ids[1])).toBeUndefined();
  });

  it('a statement outside a transaction waits for an open one and then sees what it committed', async () => {
    let outsideDone = false;
    let outside: Promise<Row | undefined> | undefined;
    await t.db.transaction().execute(async (trx) => {
      await insert(trx, ids[1], 'committed');
      outside = read(t.db, ids[1]).finally(() => {
        outsideDone = true;
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(outsideDone).toBe(false);
    });
    expect((await outside)?.note).toBe('committed');
  });

  it('a notification sent from a prepared statement reaches the listener', async () => {
    const pglite = t.pglite;
    if (!pglite) throw new Error('no PGlite');
    const heard: string[] = [];
    const stop = await pglite.listen('prep_probe', (payload) => heard.push(payload));
    await sql`SELECT pg_notify(${'prep_probe'}, ${'woken'})`.execute(t.db);
    await new Promise((r) => setTimeout(r, 20));
    await stop();
    expect(heard).toEqual(['woken']);
  });
});
