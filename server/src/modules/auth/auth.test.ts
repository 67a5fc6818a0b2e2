import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoResidentId } from '../../db/seed/demo-org.js';
import { createTestApp, type TestApp } from '../../test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_RATE_PER_MINUTE: '1000' } });
});
afterAll(() => t.close());

describe('staff login and session', () => {
  it('sets an httpOnly session cookie and a readable CSRF cookie, and /me answers with roles', async () => {
    const anon = t.anonymous();
    const res = await anon.post('/api/v1/auth/login', { username: 'clerk', password: 'Demo@2026' });
    expect(res.statusCode).toBe(200);
    const cookies = res.cookies as { name: string; httpOnly?: boolean }[];
    expect(cookies.find((c) => c.name === 'tb_session')?.httpOnly).toBe(true);
    expect(cookies.find((c) => c.name === 'tb_csrf')?.httpOnly).toBeFalsy();
    const me = await anon.get('/api/v1/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.roles[0]).toMatchObject({
      role: 'window_clerk',
      departmentName: '二七区市场监督管理局',
    });
  });

  it('refuses a wrong password with 401 and no session', async () => {
    const anon = t.anonymous();
    const res = await anon.post('/api/v1/auth/login', { username: 'reviewer', password: 'wrong-password1' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    expect((await anon.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('locks an account after repeated failures, even for the right password, until an admin unlocks it', async () => {
    const anon = t.anonymous();
    for (let i = 0; i < 3; i++)
      await anon.post('/api/v1/auth/login', { username: 'hotline', password: 'nope-nope1' });
    const locked = await anon.post('/api/v1/auth/login', { username: 'hotline', password: 'Demo@2026' });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
    const admin = await t.as('hall_admin');
    const list = await admin.get('/api/v1/staff?q=hotline');
    const hotline = list.json().items[0];
    expect(hotline.locked).toBe(true);
    expect((await admin.post(`/api/v1/staff/${hotline.id}/unlock`)).statusCode).toBe(200);
    expect(
      (await anon.post('/api/v1/auth/login', { username: 'hotline', password: 'Demo@2026' })).statusCode,
    ).toBe(200);
  });

  it('rejects a cookie-authenticated write without the CSRF header', async () => {
    const admin = await t.as('hall_admin');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/halls',
      cookies: { tb_session: admin.cookies.tb_session },
      payload: { name: '测试大厅', level: 'sub_centre', regionCode: '410103' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF');
    const halls = await admin.get('/api/v1/halls?q=测试大厅');
    expect(halls.json().total).toBe(0);
  });

  it('logout ends the session', async () => {
    const c = await t.as('supervisor');
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { tb_session: 'x' } }))
        .statusCode,
    ).toBe(401);
  });

  it('changes a password: the old one stops working and other sessions end', async () => {
    const first = await t.as('agent');
    const second = await t.as('agent');
    const bad = await first.post('/api/v1/auth/password', {
      currentPassword: 'wrong',
      newPassword: 'NewPass2026',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('currentPassword');
    const ok = await first.post('/api/v1/auth/password', {
      currentPassword: 'Demo@2026',
      newPassword: 'NewPass2026',
    });
    expect(ok.statusCode).toBe(204);
    expect((await first.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await second.get('/api/v1/auth/me')).statusCode).toBe(401);
    const old = await t.anonymous().post('/api/v1/auth/login', { username: 'agent', password: 'Demo@2026' });
    expect(old.statusCode).toBe(401);
    await t.as('agent', 'NewPass2026');
  });
});

describe('applicant registration', () => {
  it('registers a natural person with a valid resident ID and logs them in', async () => {
    const c = t.anonymous();
    const res = await c.post('/api/v1/auth/register', {
      mobile: '13712345678',
      password: 'Applicant1',
      kind: 'person',
      name: '王五',
      idNumber: demoResidentId('19851111', 31),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ accountType: 'applicant', username: '137****5678' });
    expect((await c.get('/api/v1/auth/me')).json().user.displayName).toBe('王五');
  });

  it('rejects a wrong ID check digit with a 400 naming idNumber, in Chinese and English, and stores nothing', async () => {
    const good = demoResidentId('19700101', 5);
    const wrong = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const res = await t
      .anonymous()
      .post(
        '/api/v1/auth/register',
        { mobile: '13722223333', password: 'Applicant1', kind: 'person', name: '错号', idNumber: wrong },
        { 'accept-language': 'en-US' },
      );
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.details.fields[0]).toMatchObject({ field: 'idNumber', rule: 'residentId' });
    expect(err.message).toMatch(/idNumber/);
    expect(err.messages['zh-CN']).toMatch(/身份证/);
    const row = await t.db
      .selectFrom('applicants')
      .select('id')
      .where('mobile', '=', '13722223333')
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('an enterprise needs a valid unified social credit code', async () => {
    const res = await t.anonymous().post('/api/v1/auth/register', {
      mobile: '13744445555',
      password: 'Applicant1',
      kind: 'enterprise',
      name: '某公司',
      uscc: '91410103MA4X7Q2K1A',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe('uscc');
  });

  it('an applicant cannot read staff records', async () => {
    const c = await t.asApplicant('13800138000');
    const res = await c.get('/api/v1/staff');
    expect(res.statusCode).toBe(403);
  });
});
