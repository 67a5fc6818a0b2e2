import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createTestApp, type TestApp } from './test/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { LOGIN_RATE_PER_MINUTE: '3' } });
});
afterAll(() => t.close());

describe('platform endpoints', () => {
  it('answers liveness and readiness with the engine', async () => {
    expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().engine).toMatch(/pglite|postgres/);
  });

  it('exposes Prometheus metrics including request durations', async () => {
    await t.app.inject('/healthz');
    const res = await t.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('tongban_http_request_duration_seconds');
  });

  it('counts the statements sent to PostgreSQL in the metrics', async () => {
    const sent = async () => {
      const body = (await t.app.inject('/metrics')).body;
      const m = /^tongban_db_statements_total (\d+)$/m.exec(body);
      return m ? Number(m[1]) : null;
    };
    const before = await sent();
    if (t.db.engine === 'pglite') {
      expect(before).toBeNull();
      return;
    }
    expect((await t.app.inject('/readyz')).statusCode).toBe(200);
    expect(await sent()).toBeGreaterThan(before ?? 0);
  });

  it('PGlite keeps a 32 MB buffer pool; a malformed PGLITE_SHARED_BUFFERS names itself', async () => {
    if (t.db.engine === 'pglite') {
      const r = await sql<{ shared_buffers: string }>`SHOW shared_buffers`.execute(t.db);
      expect(r.rows[0]?.shared_buffers).toBe('32MB');
    }
    expect(loadConfig({}).PGLITE_SHARED_BUFFERS).toBe('32MB');
    expect(() => loadConfig({ PGLITE_SHARED_BUFFERS: 'lots' })).toThrow(
      /PGLITE_SHARED_BUFFERS: must be a size/,
    );
  });

  it('reports the public catalog cache: a repeated search is a hit, a new one a miss', async () => {
    const figures = async () => {
      const body = (await t.app.inject('/metrics')).body;
      const read = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(body)?.[1] ?? NaN);
      return {
        hits: read('tongban_catalog_cache_hits_total'),
        misses: read('tongban_catalog_cache_misses_total'),
        bytes: read('tongban_catalog_cache_bytes'),
      };
    };
    const before = await figures();
    const url = `/api/v1/catalog/search?q=${encodeURIComponent('营业执照')}&page=1`;
    const first = await t.app.inject(url);
    const second = await t.app.inject(url);
    expect(first.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    const after = await figures();
    expect(after.misses - before.misses).toBe(1);
    expect(after.hits - before.hits).toBe(1);
    expect(after.bytes).toBeGreaterThan(before.bytes);
  });

  it('documents the API: OpenAPI JSON and the docs page', async () => {
    const spec = (await t.app.inject('/api/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/login', '/api/v1/staff', '/api/v1/authorizations']),
    );
    expect((await t.app.inject('/api/docs/')).statusCode).toBe(200);
  });

  it('answers an unknown API path with the error shape', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', message: 'No such endpoint' });
  });

  it('a malformed JSON body is a 400, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('BAD_REQUEST');
  });

  it('rate-limits login attempts per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody', password: 'x' },
      });
      codes.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json().error.code).toBe('RATE_LIMITED');
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.at(-1)).toBe(429);
  });

  it('counts a rate limit across every node on one database, and only in its process with the memory store', async () => {
    // Two more nodes on the test's database, as two servers behind nginx (or two workers) would be.
    const nodes = async (store: string) => {
      const config = loadConfig({
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        LOGIN_RATE_PER_MINUTE: '3',
        RATE_LIMIT_STORE: store,
      });
      const a = await buildApp({ db: t.db, config }, { webDist: '/nonexistent' });
      const b = await buildApp({ db: t.db, config }, { webDist: '/nonexistent' });
      return [a, b] as const;
    };
    const attempts = async (apps: readonly [FastifyInstance, FastifyInstance], address: string) => {
      const codes: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 6; i++) {
        const res = await apps[i % 2]!.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: address,
          payload: { username: 'nobody', password: 'x' },
        });
        codes.push(res.statusCode);
        if (res.statusCode === 429) retryAfter ??= String(res.headers['retry-after']);
      }
      return { codes, retryAfter };
    };

    const shared = await nodes('database');
    try {
      const first = await attempts(shared, '198.51.100.7');
      expect(first.codes).toEqual([401, 401, 401, 429, 429, 429]);
      expect(Number(first.retryAfter)).toBeGreaterThan(0);
      // Another address has its own minute.
      expect((await attempts(shared, '198.51.100.8')).codes.slice(0, 3)).toEqual([401, 401, 401]);
      const rows = await sql<{ key: string; hits: number }>`
        SELECT key, hits FROM rate_limits WHERE key LIKE '%198.51.100.7' `.execute(t.db);
      expect(rows.rows).toEqual([{ key: 'POST/api/v1/auth/login-198.51.100.7', hits: 6 }]);
    } finally {
      await Promise.all(shared.map((a) => a.close()));
    }

    const separate = await nodes('memory');
    try {
      expect((await attempts(separate, '198.51.100.9')).codes).toEqual([401, 401, 401, 401, 401, 401]);
    } finally {
      await Promise.all(separate.map((a) => a.close()));
    }
  });
});
