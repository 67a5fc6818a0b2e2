import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../config.js';
import { type DbHandle, openDatabase } from '../../db/client.js';
import { seedDemoOrganisation } from '../../db/seed/demo-org.js';
import { createTestDb, type TestDb, testEngine } from '../../test/db.js';
import { setClockOffset } from '../clock.js';
import { createJobRunner, type JobRunner } from '../jobs/index.js';
import { enqueueEvent, type Recipient } from '../outbox.js';
import { inTransaction } from '../tx.js';
import { dispatchOutbox } from './dispatch.js';
import { registerTemplate } from './templates.js';
import { type SmsGateway, type SmtpPeer, startSmsGateway, startSmtpPeer } from './test-peers.js';

type Accepted = { caseNo: string; itemName: string };

registerTemplate<Accepted>('test.case-accepted', {
  'zh-CN': (p, env) => ({
    sms: `【通办】您的办件 ${p.caseNo}(${p.itemName})已受理。`,
    emailSubject: `办件 ${p.caseNo} 已受理`,
    emailBody: `您的办件 ${p.caseNo}(${p.itemName})已受理。进度:${env.publicUrl}/progress/${p.caseNo}`,
    inappTitle: '办件已受理',
    inappBody: `办件 ${p.caseNo} 已受理`,
    link: `/portal/cases/${p.caseNo}`,
  }),
  'en-US': (p, env) => ({
    sms: `[Tongban] Your case ${p.caseNo} (${p.itemName}) was accepted.`,
    emailSubject: `Case ${p.caseNo} accepted`,
    emailBody: `Your case ${p.caseNo} (${p.itemName}) was accepted. Progress: ${env.publicUrl}/progress/${p.caseNo}`,
    inappTitle: 'Case accepted',
    inappBody: `Case ${p.caseNo} was accepted`,
  }),
});

const MOBILE = '13800138000';

let gateway: SmsGateway;
let smtp: SmtpPeer;
let handle: TestDb;
let config: Config;
let jobs: JobRunner;
let applicantId: string;
let staffId: string;
const logLines: string[] = [];

function runner(h: Pick<DbHandle, 'db' | 'url' | 'pglite'>, env: Record<string, string> = {}): JobRunner {
  const cfg = loadConfig({ ...baseEnv(), ...env });
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  return createJobRunner({ handle: h, config: cfg, log: pino({ level: 'debug' }, sink) });
}

function baseEnv(): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    SMS_PROVIDER: 'http',
    SMS_GATEWAY_URL: gateway.url,
    SMS_API_KEY: 'key-for-tests',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Tongban <noreply@tongban.test>',
    NOTIFY_MAX_ATTEMPTS: '3',
    NOTIFY_RETRY_SECONDS: '30',
    PUBLIC_URL: 'https://tongban.example.cn/',
  };
}

beforeAll(async () => {
  [gateway, smtp] = await Promise.all([startSmsGateway(), startSmtpPeer()]);
  handle = await createTestDb();
  await seedDemoOrganisation(handle.db);
  config = loadConfig(baseEnv());
  jobs = runner(handle);
  applicantId = (
    await handle.db
      .selectFrom('applicants')
      .select('id')
      .where('mobile', '=', MOBILE)
      .executeTakeFirstOrThrow()
  ).id;
  staffId = (
    await handle.db.selectFrom('staff').select('id').where('username', '=', 'clerk').executeTakeFirstOrThrow()
  ).id;
  await handle.db
    .insertInto('contact_preferences')
    .values([
      { account_type: 'applicant', account_id: applicantId, locale: 'zh-CN', email: 'zhangsan@example.cn' },
      { account_type: 'staff', account_id: staffId, locale: 'en-US', email: 'clerk@example.cn' },
    ])
    .execute();
});

afterAll(async () => {
  await jobs?.stop();
  await handle?.close();
  await Promise.all([gateway?.close(), smtp?.close()]);
});

beforeEach(async () => {
  gateway.requests.length = 0;
  gateway.script([], 200);
  smtp.received.length = 0;
  // Every test starts from a settled platform.
  await jobs.drain();
  gateway.requests.length = 0;
  smtp.received.length = 0;
});

afterEach(() => setClockOffset(0));

let caseSeq = 0;
async function accept(recipients: Recipient[]): Promise<string> {
  caseSeq += 1;
  const caseNo = `410103-20261121-${String(caseSeq).padStart(5, '0')}`;
  return inTransaction(handle.db, (trx) =>
    enqueueEvent<Accepted>(trx, {
      type: 'test.case-accepted',
      aggregateType: 'case',
      aggregateId: caseNo,
      regionCode: '410103',
      payload: { caseNo, itemName: '食品经营许可' },
      recipients,
    }),
  );
}

function notificationsOf(eventId: string) {
  return handle.db
    .selectFrom('notifications')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('channel')
    .execute();
}

describe('the outbox', () => {
  it('an event enqueued in a transaction that rolls back sends nothing', async () => {
    const caught = await inTransaction(handle.db, async (trx) => {
      await enqueueEvent<Accepted>(trx, {
        type: 'test.case-accepted',
        aggregateType: 'case',
        aggregateId: 'rolled-back',
        regionCode: '410103',
        payload: { caseNo: 'rolled-back', itemName: '食品经营许可' },
        recipients: [{ account: { type: 'applicant', id: applicantId } }],
      });
      throw new Error('the change failed');
    }).catch((e: Error) => e.message);
    expect(caught).toBe('the change failed');

    expect(await jobs.drain()).toBe(0);
    const events = await handle.db
      .selectFrom('outbox_events')
      .select('id')
      .where('aggregate_id', '=', 'rolled-back')
      .execute();
    expect(events).toHaveLength(0);
    expect(gateway.requests).toHaveLength(0);
    expect(smtp.received).toHaveLength(0);
    const messages = await handle.db
      .selectFrom('messages')
      .select('id')
      .where('aggregate_id', '=', 'rolled-back')
      .execute();
    expect(messages).toHaveLength(0);
  });

  it('an event type without a template cannot be enqueued with recipients', async () => {
    await expect(
      inTransaction(handle.db, (trx) =>
        enqueueEvent(trx, {
          type: 'test.no-template',
          aggregateType: 'case',
          aggregateId: 'x',
          regionCode: '410103',
          payload: {},
          recipients: [{ mobile: MOBILE }],
        }),
      ),
    ).rejects.toThrow(/INTERNAL/);
  });
});

describe('a committed event', () => {
  it('produces exactly one SMS, one e-mail per recipient in their language and one in-app message', async () => {
    const eventId = await accept([
      { account: { type: 'applicant', id: applicantId } },
      { account: { type: 'staff', id: staffId } },
    ]);
    // Two runners dispatch and deliver at the same time, then once more each.
    const other = runner({ db: handle.db });
    await Promise.all([jobs.drain(), other.drain(), dispatchOutbox(jobs.context())]);
    await Promise.all([jobs.drain(), other.drain()]);
    await other.stop();

    const rows = await notificationsOf(eventId);
    expect(rows.map((r) => `${r.channel}:${r.account_type}:${r.status}`).sort()).toEqual([
      'email:applicant:sent',
      'email:staff:sent',
      'inapp:applicant:sent',
      'inapp:staff:sent',
      'sms:applicant:sent',
    ]);

    // SMS: one request, authenticated, with the event-derived idempotency key.
    expect(gateway.requests).toHaveLength(1);
    const sms = gateway.requests[0];
    const smsRow = rows.find((r) => r.channel === 'sms');
    expect(sms.body.to).toBe(MOBILE);
    expect(sms.body.text).toContain('已受理');
    expect(sms.headers.authorization).toBe('Bearer key-for-tests');
    expect(sms.headers['idempotency-key']).toBe(smsRow?.idempotency_key);
    expect(sms.body.idempotencyKey).toMatch(new RegExp(`^${eventId}\\.sms\\.`));
    expect(smsRow).toMatchObject({ attempts: 1, provider: 'http', provider_message_id: 'gw-1' });

    // E-mail: one message per recipient, received by the SMTP peer, in the recipient's language.
    expect(smtp.received).toHaveLength(2);
    const toApplicant = smtp.received.find((m) => m.to.includes('zhangsan@example.cn'));
    const toStaff = smtp.received.find((m) => m.to.includes('clerk@example.cn'));
    expect(toApplicant?.subject).toMatch(/^办件 410103-20261121-\d{5} 已受理$/);
    expect(toApplicant?.text).toContain('https://tongban.example.cn/progress/');
    expect(toStaff?.subject).toMatch(/^Case 410103-20261121-\d{5} accepted$/);
    expect(toStaff?.messageId).toBe(
      `<${rows.find((r) => r.account_type === 'staff' && r.channel === 'email')?.idempotency_key}@tongban>`,
    );

    // In-app: one message in each inbox.
    const inbox = await handle.db
      .selectFrom('messages as m')
      .innerJoin('notifications as n', 'n.id', 'm.notification_id')
      .select(['m.account_type', 'm.title', 'm.link'])
      .where('n.event_id', '=', eventId)
      .orderBy('m.account_type')
      .execute();
    expect(inbox).toEqual([
      { account_type: 'applicant', title: '办件已受理', link: expect.stringMatching(/^\/portal\/cases\//) },
      { account_type: 'staff', title: 'Case accepted', link: null },
    ]);
    const event = await handle.db
      .selectFrom('outbox_events')
      .select(['status', 'attempts'])
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(event).toEqual({ status: 'dispatched', attempts: 1 });
  });

  it('dispatching the same event again (a crash before its status was saved) adds nothing', async () => {
    const eventId = await accept([{ account: { type: 'applicant', id: applicantId } }]);
    await jobs.drain();
    await sql`UPDATE outbox_events SET status = 'pending' WHERE id = ${eventId}`.execute(handle.db);
    await Promise.all([jobs.drain(), dispatchOutbox(jobs.context())]);
    expect(await notificationsOf(eventId)).toHaveLength(3);
    expect(gateway.requests).toHaveLength(1);
    expect(smtp.received).toHaveLength(1);
  });

  it('a recipient without an account gets SMS and e-mail in the language asked for, no in-app message', async () => {
    const eventId = await accept([{ mobile: '13912345678', email: 'guest@example.cn', locale: 'en-US' }]);
    await jobs.drain();
    const rows = await notificationsOf(eventId);
    expect(rows.map((r) => `${r.channel}:${r.locale}:${r.status}`)).toEqual([
      'email:en-US:sent',
      'sms:en-US:sent',
    ]);
    expect(gateway.requests[0].body.text).toMatch(/^\[Tongban\] Your case/);
    expect(smtp.received[0].subject).toMatch(/^Case .* accepted$/);
  });
});

describe('delivery failures', () => {
  it('a gateway failing twice is retried with backoff and the SMS ends sent after 3 attempts, once', async () => {
    gateway.script([500, 500]);
    const eventId = await accept([{ mobile: MOBILE, channels: ['sms'] }]);
    await jobs.drain();
    let [sms] = await notificationsOf(eventId);
    expect(sms).toMatchObject({ status: 'retry', attempts: 1 });
    expect(sms.last_error).toContain('HTTP 500');
    const firstWait = sms.next_attempt_at.getTime() - Date.now();
    expect(firstWait).toBeGreaterThan(25_000);
    expect(firstWait).toBeLessThanOrEqual(30_000);

    // Not due yet: nothing happens.
    await jobs.drain();
    expect(gateway.requests).toHaveLength(1);

    setClockOffset(31_000);
    await jobs.drain();
    [sms] = await notificationsOf(eventId);
    expect(sms).toMatchObject({ status: 'retry', attempts: 2 });
    // The wait doubles.
    expect(sms.next_attempt_at.getTime() - (Date.now() + 31_000)).toBeGreaterThan(55_000);

    setClockOffset(31_000 + 61_000);
    await jobs.drain();
    [sms] = await notificationsOf(eventId);
    expect(sms).toMatchObject({ status: 'sent', attempts: 3, last_error: null });

    setClockOffset(3_600_000);
    await jobs.drain();
    expect(gateway.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    const keys = new Set(gateway.requests.map((r) => r.headers['idempotency-key']));
    expect(keys).toEqual(new Set([sms.idempotency_key]));
  });

  it('a gateway that keeps failing leaves the SMS failed with the error recorded', async () => {
    gateway.script([], 503);
    const eventId = await accept([{ mobile: MOBILE, channels: ['sms'] }]);
    for (const offset of [0, 31_000, 92_000, 300_000]) {
      setClockOffset(offset);
      await jobs.drain();
    }
    const [sms] = await notificationsOf(eventId);
    expect(sms).toMatchObject({ status: 'failed', attempts: 3, sent_at: null });
    expect(sms.last_error).toBe('SMS gateway answered HTTP 503: {"error":"upstream busy"}');
    expect(gateway.requests).toHaveLength(3);
  });

  it('a refusal (4xx) fails at once, and the number echoed in the error is masked', async () => {
    gateway.script([], 400);
    const eventId = await accept([{ mobile: MOBILE, channels: ['sms'] }]);
    await jobs.drain();
    const [sms] = await notificationsOf(eventId);
    expect(sms).toMatchObject({ status: 'failed', attempts: 1 });
    expect(sms.last_error).toBe('SMS gateway answered HTTP 400: {"error":"rejected 138****8000"}');
  });

  it('a mail server that defers (451) gets the message again later; one that refuses (550) ends it', async () => {
    smtp.rejectNext(1, 451);
    const deferred = await accept([{ email: 'later@example.cn', channels: ['email'] }]);
    await jobs.drain();
    expect((await notificationsOf(deferred))[0]).toMatchObject({ status: 'retry', attempts: 1 });
    setClockOffset(31_000);
    await jobs.drain();
    expect((await notificationsOf(deferred))[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.received.filter((m) => m.to.includes('later@example.cn'))).toHaveLength(1);

    smtp.rejectNext(1, 550);
    const refused = await accept([{ email: 'nobody@example.cn', channels: ['email'] }]);
    await jobs.drain();
    const [row] = await notificationsOf(refused);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/^SMTP 550/);
    expect(row.last_error).not.toContain('nobody@example.cn');
  });

  it('an invalid mobile number is recorded as failed without calling the gateway', async () => {
    const eventId = await accept([{ mobile: '12345', channels: ['sms'] }]);
    await jobs.drain();
    const [sms] = await notificationsOf(eventId);
    expect(sms).toMatchObject({ status: 'failed', attempts: 0, last_error: 'not a valid mobile number' });
    expect(gateway.requests).toHaveLength(0);
  });

  it('no log line carries a mobile number or an e-mail address', () => {
    const all = logLines.join('');
    expect(all).toContain('notification sent');
    expect(all).not.toContain(MOBILE);
    expect(all).not.toContain('13912345678');
    expect(all).not.toContain('zhangsan@example.cn');
  });
});

describe('several nodes', () => {
  let second: DbHandle;
  let nodes: JobRunner[] = [];

  beforeAll(async () => {
    // A second node has its own connections to the same database; PGlite is one process, so it shares.
    second = handle.url ? await openDatabase({ databaseUrl: handle.url, poolSize: 3 }) : handle;
  });
  afterAll(async () => {
    if (second !== handle) await second.close();
  });
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    nodes = [];
  });

  it('two running nodes deliver every notification exactly once, woken by the commit', async () => {
    // A poll interval far beyond the test: only the commit's NOTIFY can wake the runners in time.
    nodes = [runner(handle, { JOBS_POLL_SECONDS: '600' }), runner(second, { JOBS_POLL_SECONDS: '600' })];
    await Promise.all(nodes.map((n) => n.start()));
    await new Promise((r) => setTimeout(r, 200));

    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await accept([{ mobile: MOBILE, email: `n${i}@example.cn` }]));

    const deadline = Date.now() + 20_000;
    for (;;) {
      const pending = await handle.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('event_id', 'in', ids)
        .where('status', '!=', 'sent')
        .executeTakeFirstOrThrow();
      const total = await handle.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('event_id', 'in', ids)
        .executeTakeFirstOrThrow();
      if (Number(total.n) === 24 && Number(pending.n) === 0) break;
      if (Date.now() > deadline) throw new Error(`not delivered in time: ${pending.n} of ${total.n} pending`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const smsKeys = gateway.requests.map((r) => r.body.idempotencyKey);
    expect(smsKeys).toHaveLength(12);
    expect(new Set(smsKeys).size).toBe(12);
    expect(smtp.received).toHaveLength(12);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(12);
    const byNode = await handle.db
      .selectFrom('notifications')
      .select('attempts')
      .where('event_id', 'in', ids)
      .execute();
    expect(byNode.every((r) => r.attempts === 1)).toBe(true);
  });

  it('two nodes draining at once never send one notification twice', async () => {
    nodes = [runner(handle), runner(second)];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await accept([{ mobile: MOBILE, email: `d${i}@example.cn` }]));
    await Promise.all([nodes[0].drain(), nodes[1].drain(), nodes[0].drain(), nodes[1].drain()]);
    expect(gateway.requests).toHaveLength(10);
    expect(new Set(gateway.requests.map((r) => r.body.idempotencyKey)).size).toBe(10);
    expect(smtp.received).toHaveLength(10);
    const rows = await handle.db
      .selectFrom('notifications')
      .select(['status', 'attempts'])
      .where('event_id', 'in', ids)
      .execute();
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });
});

it('runs on the engine the project names', () => {
  expect(handle.engine).toBe(testEngine);
  expect(config.SMS_PROVIDER).toBe('http');
});
