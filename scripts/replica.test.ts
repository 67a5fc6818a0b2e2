import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { seedDemoCatalog } from '../server/src/db/seed/demo-catalog.js';
import { DEMO_PASSWORD, seedDemoOrganisation } from '../server/src/db/seed/demo-org.js';
import { type Platform, startPlatform } from '../server/src/main.js';
import { generateCases } from '../server/src/modules/cases/generate.js';
import { type Cluster, findPgBin, startPrimary, startReplica, waitForReplay } from './replica.js';

/**
 * READ_DATABASE_URL: a streaming replica made with pg_basebackup beside a primary of its own on this machine
 * (the shared server on 5432 is left alone). With replay paused on the replica, a clerk still registers a
 * case (writes go to the primary), the public progress query does not find it yet (it reads the replica),
 * and /metrics shows the lag; once replay resumes the query finds it and the lag is gone.
 */
const bin = findPgBin();
const skip = bin ? null : 'PostgreSQL server binaries not found (apt-get install postgresql-contrib)';
if (skip) process.stdout.write(`replica test skipped: ${skip}\n`);

const metric = (text: string, name: string) =>
  Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

describe.skipIf(!!skip)('read replica', () => {
  let primary: Cluster;
  let replica: Cluster;
  let platform: Platform;
  let primaryDb: string;
  let replicaDb: string;
  let filesDir: string;
  /** A statement on the primary. */
  const sql = async (parts: TemplateStringsArray) => {
    const c = new pg.Client({ connectionString: primaryDb });
    await c.connect();
    await c.query(parts.join(''));
    await c.end();
  };

  beforeAll(async () => {
    primary = await startPrimary(bin as string);
    const admin = new pg.Client({ connectionString: primary.url });
    await admin.connect();
    await admin.query(
      `CREATE DATABASE tongban TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
    await admin.end();
    primaryDb = primary.url.replace(/\/postgres$/, '/tongban');
    const h = await openDatabase({ databaseUrl: primaryDb, poolSize: 2 });
    await migrate(h.db);
    await seedDemoOrganisation(h.db);
    await seedDemoCatalog(h.db);
    await generateCases(h.db, { count: 200, days: 30 });
    await h.close();
    replica = await startReplica(bin as string, primary.url);
    replicaDb = replica.url.replace(/\/postgres$/, '/tongban');
    filesDir = await mkdtemp(join(tmpdir(), 'tongban-replica-files-'));
    platform = await startPlatform({
      port: 0,
      host: '127.0.0.1',
      seedDemo: false,
      logLevel: 'silent',
      env: {
        DATABASE_URL: primaryDb,
        READ_DATABASE_URL: replicaDb,
        DATA_DIR: filesDir,
        JOBS_ENABLED: 'false',
        LOGIN_RATE_PER_MINUTE: '10000',
      },
    });
  });

  afterAll(async () => {
    await platform?.close();
    await replica?.stop();
    await primary?.stop();
    if (filesDir) await rm(filesDir, { recursive: true, force: true });
  });

  it('writes go to the primary, public reads to the replica, and /metrics shows the lag', async () => {
    const base = platform.url.replace('localhost', '127.0.0.1');
    const rep = new pg.Client({ connectionString: replicaDb });
    await rep.connect();
    try {
      await waitForReplay(primaryDb, replicaDb);
      let m = await (await fetch(`${base}/metrics`)).text();
      expect(metric(m, 'tongban_replica_up')).toBe(1);
      expect(metric(m, 'tongban_replica_lag_bytes')).toBe(0);

      // The catalog search answers from the replica.
      const search = await fetch(`${base}/api/v1/catalog/search?q=${encodeURIComponent('食品经营')}`);
      expect(search.status).toBe(200);
      expect(((await search.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);

      // Something replayed since the replica started, so its data has an age.
      await sql`INSERT INTO case_number_counters (region_code, day, last) VALUES ('410103', '2000-01-01', 1)`;
      await waitForReplay(primaryDb, replicaDb);
      await new Promise((r) => setTimeout(r, 300));
      await rep.query('SELECT pg_wal_replay_pause()');
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accountType: 'staff', username: 'clerk', password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const jar = Object.fromEntries(login.headers.getSetCookie().map((c) => c.split(';')[0].split('=')));
      const item = await rep.query<{ code: string }>(
        `SELECT code FROM catalog_versions WHERE kind = 'item' AND name = '食品经营许可变更' AND status = 'published'`,
      );
      const res = await fetch(`${base}/api/v1/cases`, {
        method: 'POST',
        headers: {
          cookie: `tb_session=${jar.tb_session}; tb_csrf=${jar.tb_csrf}`,
          'x-csrf-token': jar.tb_csrf,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          itemCode: item.rows[0].code,
          channel: 'window',
          applicant: {
            kind: 'enterprise',
            name: '郑州二七副本食品商行',
            uscc: '91410103MA00000019',
            mobile: '13600000002',
          },
          form: { 变更事项: '经营场所', 变更后内容: '二七区大学路 2 号' },
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const { number } = (await res.json()) as { number: string };
      // On the primary, not (yet) on the paused replica.
      const onPrimary = new pg.Client({ connectionString: primaryDb });
      await onPrimary.connect();
      expect((await onPrimary.query('SELECT 1 FROM cases WHERE number = $1', [number])).rowCount).toBe(1);
      await onPrimary.end();
      expect((await rep.query('SELECT 1 FROM cases WHERE number = $1', [number])).rowCount).toBe(0);

      const progress = () =>
        fetch(`${base}/api/v1/public/progress?number=${encodeURIComponent(number)}&code=000019`, {
          headers: { 'x-forwarded-for': '10.9.9.9' },
        });
      expect((await progress()).status).toBe(404);
      m = await (await fetch(`${base}/metrics`)).text();
      expect(metric(m, 'tongban_replica_lag_bytes')).toBeGreaterThan(0);
      expect(metric(m, 'tongban_replica_lag_seconds')).toBeGreaterThan(0);

      await rep.query('SELECT pg_wal_replay_resume()');
      await waitForReplay(primaryDb, replicaDb);
      const found = await progress();
      expect(found.status).toBe(200);
      expect(((await found.json()) as { status: string }).status).toBe('registered');
      m = await (await fetch(`${base}/metrics`)).text();
      // Caught up: nothing outstanding (or only the primary's own background records since).
      expect(metric(m, 'tongban_replica_lag_seconds')).toBeLessThan(5);
    } finally {
      await rep.end();
    }
  });
});
