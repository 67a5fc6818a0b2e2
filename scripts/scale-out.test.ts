import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from '../server/src/db/client.js';
import { migrate } from '../server/src/db/migrate.js';
import { seedDemoCatalog } from '../server/src/db/seed/demo-catalog.js';
import { DEMO_PASSWORD, seedDemoOrganisation } from '../server/src/db/seed/demo-org.js';
import { generateCases } from '../server/src/modules/cases/generate.js';
import {
  type SmsGateway,
  type SmtpPeer,
  startSmsGateway,
  startSmtpPeer,
} from '../server/src/platform/notify/test-peers.js';
import { type Cluster, findNginx, startCluster } from './scale-out.js';

/**
 * Two nodes on one PostgreSQL behind nginx (docs/operations/scale-out.md): a session opened on one node works
 * on the other; while clients register and accept cases through nginx and both nodes' timed jobs work through
 * a backlog, one node is killed (SIGKILL). Every notification then reaches the SMS gateway and the mail server
 * exactly once per idempotency key, none is left behind, and no timed job acted twice on a case.
 */
const baseUrl = process.env.TEST_DATABASE_URL;
const nginx = findNginx();
const skip = !baseUrl
  ? 'TEST_DATABASE_URL is not set (two nodes need a PostgreSQL server; PGlite has one process)'
  : !nginx
    ? 'nginx is not installed (apt-get install nginx; scripts/bootstrap.mjs installs it for the tests)'
    : null;
if (skip) process.stdout.write(`scale-out test skipped: ${skip}\n`);

const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const uscc = (n: number) => {
  const body = `91410103MC${String(n).padStart(7, '0')}`;
  const sum = [...body].reduce((a, ch, i) => a + USCC.indexOf(ch) * W[i], 0);
  return `${body}${USCC[(31 - (sum % 31)) % 31]}`;
};

type Session = { cookie: string; csrf: string };

async function login(url: string, username: string): Promise<Session> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountType: 'staff', username, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const jar = Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(';')[0].split('=')));
  return { cookie: `tb_session=${jar.tb_session}; tb_csrf=${jar.tb_csrf}`, csrf: jar.tb_csrf };
}

describe.skipIf(!!skip)('two nodes behind nginx on one PostgreSQL', () => {
  let dbName: string;
  let dbUrl: string;
  let handle: DbHandle;
  let gateway: SmsGateway;
  let smtp: SmtpPeer;
  let cluster: Cluster;

  beforeAll(async () => {
    const base = new URL(baseUrl as string);
    dbName = `tongban_scaleout_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(
      `CREATE DATABASE "${dbName}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
    await admin.end();
    base.pathname = `/${dbName}`;
    dbUrl = base.toString();
    handle = await openDatabase({ databaseUrl: dbUrl, poolSize: 2 });
    await migrate(handle.db);
    await seedDemoOrganisation(handle.db);
    await seedDemoCatalog(handle.db);
    // A backlog for the timed jobs: received weeks ago and never accepted (art. 32 accepts them), accepted
    // and past the yellow-warning day (the warning goes out once).
    await generateCases(handle.db, { count: 600, days: 40, seed: 5 });
    gateway = await startSmsGateway();
    smtp = await startSmtpPeer();
    cluster = await startCluster({
      databaseUrl: dbUrl,
      nodes: 2,
      env: {
        SMS_PROVIDER: 'http',
        SMS_GATEWAY_URL: gateway.url,
        SMS_API_KEY: 'test',
        SMTP_URL: smtp.url,
        JOBS_POLL_SECONDS: '1',
        LOGIN_RATE_PER_MINUTE: '10000',
        SEED_DEMO: 'true',
      },
    });
  });

  afterAll(async () => {
    await cluster?.stop();
    await gateway?.close();
    await smtp?.close();
    await handle?.close();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('a session opened on one node works on the other', async () => {
    const [a, b] = cluster.nodes;
    const s = await login(a.url, 'clerk');
    const me = await fetch(`${b.url}/api/v1/auth/me`, { headers: { cookie: s.cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { username: string } }).user.username).toBe('clerk');
    // A write with that session's CSRF token, on the other node.
    const out = await fetch(`${b.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
    expect(out.status).toBe(204);
    const after = await fetch(`${a.url}/api/v1/auth/me`, { headers: { cookie: s.cookie } });
    expect(after.status).toBe(401);
  });

  it('kill -9 of one node mid-run: no notification lost or doubled, no timed job run twice', async () => {
    const item = await handle.db
      .selectFrom('catalog_versions')
      .select('code')
      .where('kind', '=', 'item')
      .where('name', '=', '食品经营许可变更')
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    const clerk = await login(cluster.url, 'clerk');
    const post = (path: string, body: unknown, key: string) =>
      fetch(`${cluster.url}${path}`, {
        method: 'POST',
        headers: {
          cookie: clerk.cookie,
          'x-csrf-token': clerk.csrf,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      });
    /** What a careful client does with a 502 from nginx: the same request again, same Idempotency-Key. */
    const withRetry = async (path: string, body: unknown) => {
      const key = randomBytes(8).toString('hex');
      for (let attempt = 0; ; attempt += 1) {
        const res = await post(path, body, key);
        if (res.status < 500 || attempt >= 5) return res;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    let seq = 0;
    let registered = 0;
    const statuses: Record<string, number> = {};
    const stopAt = Date.now() + 7000;
    const victim = cluster.nodes[1];
    let heldByVictim = 0;
    const kill = (async () => {
      await new Promise((r) => setTimeout(r, 2500));
      await victim.kill('SIGKILL');
    })();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < stopAt) {
          seq += 1;
          const n = seq;
          const res = await withRetry('/api/v1/cases', {
            itemCode: item.code,
            channel: 'window',
            applicant: {
              kind: 'enterprise',
              name: `郑州二七${String(n).padStart(4, '0')}食品商行`,
              uscc: uscc(n + Number.parseInt(randomBytes(2).toString('hex'), 16) * 100),
              mobile: `1370000${String(n).padStart(4, '0')}`,
              email: `shop${n}@example.cn`,
            },
            form: { 变更事项: '经营场所', 变更后内容: `二七区大学路 ${n} 号` },
          });
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status === 201) registered += 1;
        }
      }),
    );
    await kill;
    expect(victim.exited).toBe(true);
    expect(registered).toBeGreaterThan(5);
    // The survivor answers through nginx.
    expect((await fetch(`${cluster.url}/readyz`)).status).toBe(200);

    // What the dead node held stays claimed until its lease runs out (2 minutes for a notification, 5 for
    // a job); the test moves those leases to now instead of waiting, as the survivor would find them later.
    const victimClaims = `%:${victim.pid}:%`;
    const held = await sql<{ n: number }>`UPDATE notifications SET locked_until = now() - interval '1 second'
      WHERE status = 'sending' AND locked_by LIKE ${victimClaims} RETURNING 1 AS n`.execute(handle.db);
    heldByVictim = held.rows.length;
    await sql`UPDATE jobs SET locked_until = now() - interval '1 second'
      WHERE status = 'running' AND locked_by LIKE ${victimClaims}`.execute(handle.db);
    await sql`UPDATE job_schedules SET locked_until = now() - interval '1 second', next_run_at = now()
      WHERE locked_by LIKE ${victimClaims}`.execute(handle.db);

    // Everything reaches its destination.
    const deadline = Date.now() + 90_000;
    let left = { events: -1, notifications: -1 };
    while (Date.now() < deadline) {
      const r = await sql<typeof left>`SELECT
          (SELECT count(*)::int FROM outbox_events WHERE status <> 'dispatched') AS events,
          (SELECT count(*)::int FROM notifications WHERE status IN ('pending','retry','sending')) AS notifications
        `.execute(handle.db);
      left = r.rows[0];
      if (left.events + left.notifications === 0) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    expect(left).toEqual({ events: 0, notifications: 0 });

    const rows = await sql<{ channel: string; status: string; n: number; keys: number }>`
      SELECT channel, status, count(*)::int AS n, count(DISTINCT idempotency_key)::int AS keys
      FROM notifications WHERE channel IN ('sms','email') GROUP BY 1, 2 ORDER BY 1, 2`.execute(handle.db);
    const sms = rows.rows.find((r) => r.channel === 'sms' && r.status === 'sent');
    const email = rows.rows.find((r) => r.channel === 'email' && r.status === 'sent');
    // Nothing failed: every row was sent.
    expect(rows.rows.filter((r) => r.status !== 'sent')).toEqual([]);

    // The SMS gateway: one delivery per notification row. A resend can only follow a crash between the
    // gateway's answer and our record of it, and carries the same key (the gateway drops it).
    const smsKeys = gateway.requests.filter((r) => r.status < 300).map((r) => r.body.idempotencyKey);
    expect(new Set(smsKeys).size).toBe(sms?.n);
    expect(smsKeys.length - new Set(smsKeys).size).toBeLessThanOrEqual(heldByVictim);
    // The mail server likewise, by Message-ID.
    const mailIds = smtp.received.map((m) => m.messageId);
    expect(new Set(mailIds).size).toBe(email?.n);
    expect(mailIds.length - new Set(mailIds).size).toBeLessThanOrEqual(heldByVictim);
    // Every registration and acceptance made through nginx was told to its applicant (SMS and e-mail).
    const told = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications n
      JOIN outbox_events e ON e.id = n.event_id
      WHERE e.type = 'case.registered' AND n.channel = 'email'`.execute(handle.db);
    expect(told.rows[0].n).toBe(registered);

    // Timed jobs: each backlog case was accepted by art. 32 once, each yellow warning went out once.
    const twice = await sql<{ case_id: string; n: number }>`
      SELECT case_id, count(*)::int AS n FROM case_events WHERE action = 'autoAccept'
      GROUP BY case_id HAVING count(*) > 1`.execute(handle.db);
    expect(twice.rows).toEqual([]);
    const autoAccepted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_events
      WHERE action = 'autoAccept'`.execute(handle.db);
    expect(autoAccepted.rows[0].n).toBeGreaterThan(0);
    const events = await sql<{ type: string; n: number; aggregates: number }>`
      SELECT type, count(*)::int AS n, count(DISTINCT aggregate_id)::int AS aggregates FROM outbox_events
      WHERE type IN ('case.autoAccept', 'case.warning') GROUP BY type`.execute(handle.db);
    for (const e of events.rows) expect(e.n, e.type).toBe(e.aggregates);
    process.stdout.write(
      `scale-out: ${registered} cases registered through nginx (${JSON.stringify(statuses)}), node ${victim.pid} killed; ` +
        `${sms?.n} SMS, ${email?.n} e-mails, ${autoAccepted.rows[0].n} art. 32 acceptances; ` +
        `${heldByVictim} notifications were held by the dead node\n`,
    );
  });
});
