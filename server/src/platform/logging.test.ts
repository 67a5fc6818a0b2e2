import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { demoResidentId } from '../db/seed/demo-org.js';
import { createTestDb, type TestDb } from '../test/db.js';

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(() => db.close());

describe('logs', () => {
  it('carry no ID numbers, mobile numbers, passwords or session cookies', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp(
      { db: db.db, config: loadConfig({ SEED_DEMO: 'false' }) },
      { logLevel: 'info', logStream: stream, webDist: '/none' },
    );
    const idNumber = demoResidentId('19800101', 77);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/auth/register?mobile=13611112222&id=${idNumber}`,
      payload: {
        mobile: '13611112222',
        password: 'Secret-pass1',
        kind: 'person',
        name: '日志测试',
        idNumber,
      },
    });
    expect(res.statusCode).toBe(201);
    await app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { tb_session: res.cookies[0]?.value ?? '' },
    });
    await app.close();
    const text = lines.join('');
    expect(text).toContain('/api/v1/auth/register');
    expect(text).not.toContain(idNumber);
    expect(text).not.toContain('13611112222');
    expect(text).not.toContain('Secret-pass1');
    expect(text).not.toContain(res.cookies[0]?.value ?? 'no-cookie');
  });
});
