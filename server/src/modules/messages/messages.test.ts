import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemNoticePayload } from '../../platform/notify/templates.js';
import { enqueueEvent, type Recipient } from '../../platform/outbox.js';
import { inTransaction } from '../../platform/tx.js';
import { createTestApp, type TestApp } from '../../test/app.js';

const MOBILE = '13800138000';
const OTHER_MOBILE = '13900139000';

let t: TestApp;
let applicantId: string;

beforeAll(async () => {
  t = await createTestApp();
  applicantId = (
    await t.db.selectFrom('applicants').select('id').where('mobile', '=', MOBILE).executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => t.close());

let seq = 0;
async function notice(recipients: Recipient[], regionCode = '410103'): Promise<string> {
  seq += 1;
  const eventId = await inTransaction(t.db, (trx) =>
    enqueueEvent<SystemNoticePayload>(trx, {
      type: 'system.notice',
      aggregateType: 'notice',
      aggregateId: `notice-${seq}`,
      regionCode,
      payload: {
        'zh-CN': { title: `通知 ${seq}`, body: `第 ${seq} 号通知正文` },
        'en-US': { title: `Notice ${seq}`, body: `Body of notice ${seq}` },
        link: `/portal/notices/${seq}`,
      },
      recipients,
    }),
  );
  await t.jobs.drain();
  return eventId;
}

describe('my in-app messages', () => {
  it('lists my messages with the unread count and marks them read', async () => {
    await notice([{ account: { type: 'applicant', id: applicantId } }]);
    await notice([{ account: { type: 'applicant', id: applicantId } }]);
    const me = await t.asApplicant(MOBILE);

    const list = await me.get('/api/v1/messages');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body).toMatchObject({ total: 2, unread: 2, page: 1 });
    expect(body.items[0]).toMatchObject({
      title: '通知 2',
      body: '第 2 号通知正文',
      link: '/portal/notices/2',
      eventType: 'system.notice',
      readAt: null,
    });

    const read = await me.post(`/api/v1/messages/${body.items[1].id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toEqual(expect.any(String));
    const again = await me.post(`/api/v1/messages/${body.items[1].id}/read`);
    expect(again.json().readAt).toBe(read.json().readAt);

    const unread = await me.get('/api/v1/messages?unread=true');
    expect(unread.json()).toMatchObject({ total: 1, unread: 1 });
    expect(unread.json().items[0].title).toBe('通知 2');

    const all = await me.post('/api/v1/messages/read-all');
    expect(all.json()).toEqual({ updated: 1 });
    expect((await me.get('/api/v1/messages')).json().unread).toBe(0);
  });

  it("another account's message is not found, and an API token has no inbox", async () => {
    await notice([{ account: { type: 'applicant', id: applicantId } }]);
    const mine = (await (await t.asApplicant(MOBILE)).get('/api/v1/messages')).json().items[0];
    const other = await t.asApplicant(OTHER_MOBILE);
    expect((await other.get('/api/v1/messages')).json().total).toBe(0);
    const res = await other.post(`/api/v1/messages/${mine.id}/read`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect((await t.anonymous().get('/api/v1/messages')).statusCode).toBe(401);
    const bad = await other.post('/api/v1/messages/not-a-uuid/read');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('params.id');
  });

  it('my language preference decides the language of later messages', async () => {
    const me = await t.asApplicant(OTHER_MOBILE);
    const other = await t.db
      .selectFrom('applicants')
      .select('id')
      .where('mobile', '=', OTHER_MOBILE)
      .executeTakeFirstOrThrow();
    expect((await me.get('/api/v1/messages/preferences')).json()).toEqual({ locale: 'zh-CN', email: null });
    const bad = await me.put('/api/v1/messages/preferences', { email: 'not an address' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('email');
    const saved = await me.put('/api/v1/messages/preferences', { locale: 'en-US' });
    expect(saved.json()).toEqual({ locale: 'en-US', email: null });

    await notice([{ account: { type: 'applicant', id: other.id } }]);
    const items = (await me.get('/api/v1/messages')).json().items;
    expect(items[0].title).toMatch(/^Notice \d+$/);
    const stored = await t.db
      .selectFrom('notifications')
      .select(['channel', 'locale'])
      .where('account_id', '=', other.id)
      .orderBy('channel')
      .execute();
    expect(stored).toEqual([
      { channel: 'inapp', locale: 'en-US' },
      { channel: 'sms', locale: 'en-US' },
    ]);
  });
});

describe('the notification log (SMS outbox)', () => {
  it('shows administrators what was sent, with the number masked everywhere', async () => {
    const eventId = await notice([{ account: { type: 'applicant', id: applicantId } }]);
    const admin = await t.as('hall_admin');
    const res = await admin.get('/api/v1/notifications?channel=sms&pageSize=100');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(MOBILE);
    const sms = res.json().items.find((n: { eventId: string }) => n.eventId === eventId);
    expect(sms).toMatchObject({
      channel: 'sms',
      recipient: '138****8000',
      status: 'sent',
      attempts: 1,
      provider: 'outbox',
      locale: 'zh-CN',
      regionCode: '410103',
      lastError: null,
      nextAttemptAt: null,
    });
    expect(sms.text).toMatch(/^通知 \d+:第 \d+ 号通知正文$/);
    expect(sms.sentAt).toEqual(expect.any(String));

    const inapp = await admin.get(`/api/v1/notifications?channel=inapp&aggregateId=notice-${seq}`);
    expect(inapp.json().items).toHaveLength(1);
    expect(inapp.json().items[0]).toMatchObject({
      recipient: '张*',
      subject: expect.stringMatching(/^通知/),
    });

    const failed = await admin.get('/api/v1/notifications?status=failed');
    expect(failed.json().total).toBe(0);
  });

  it('a hall administrator sees their region only; other staff and applicants none', async () => {
    const township = await notice([{ mobile: '13700137000' }], '410103001001');
    const district = await notice([{ mobile: '13600136000' }], '410103002');
    const townshipAdmin = await t.as('township_admin');
    const seen = (await townshipAdmin.get('/api/v1/notifications?pageSize=200'))
      .json()
      .items.map((n: { eventId: string }) => n.eventId);
    expect(seen).toContain(township);
    expect(seen).not.toContain(district);

    const sys = await t.as('sysadmin');
    const all = (await sys.get('/api/v1/notifications?pageSize=200'))
      .json()
      .items.map((n: { eventId: string }) => n.eventId);
    expect(all).toEqual(expect.arrayContaining([township, district]));
    const byRegion = await sys.get('/api/v1/notifications?regionCode=410103002');
    expect(byRegion.json().items.map((n: { eventId: string }) => n.eventId)).toEqual([district]);

    expect((await (await t.as('clerk')).get('/api/v1/notifications')).statusCode).toBe(403);
    expect((await (await t.asApplicant(MOBILE)).get('/api/v1/notifications')).statusCode).toBe(403);
    const badFilter = await sys.get('/api/v1/notifications?channel=fax');
    expect(badFilter.statusCode).toBe(400);
    expect(badFilter.json().error.details.fields[0].field).toBe('query.channel');
  });
});
