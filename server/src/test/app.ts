import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { type CatalogSeedOptions, seedDemoCatalog } from '../db/seed/demo-catalog.js';
import { DEMO_PASSWORD, seedDemoOrganisation } from '../db/seed/demo-org.js';
import { createJobRunner, type JobRunner } from '../platform/jobs/index.js';
import { createTestDb, type TestDb } from './db.js';

/** A test platform: fresh database with the demo organisation and an app driven by `inject` (no port). */
export type TestApp = {
  app: FastifyInstance;
  db: TestDb['db'];
  config: Config;
  /**
   * The job runner of this platform, not started: `await t.jobs.drain()` runs the outbox, notifications and
   * every due job now and returns when nothing is left, so a test sees the outcome deterministically.
   */
  jobs: JobRunner;
  /** A logged-in client for a demo (or any) staff account. */
  as(username: string, password?: string): Promise<Client>;
  asApplicant(mobile: string, password?: string): Promise<Client>;
  anonymous(): Client;
  close(): Promise<void>;
};

export type Client = {
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  cookies: Record<string, string>;
};

export async function createTestApp(
  opts: {
    seed?: boolean;
    env?: Record<string, string>;
    /** Also load the demo catalog (items, fees, lists; the power list as large as asked, default 300). */
    catalog?: boolean | CatalogSeedOptions;
  } = {},
): Promise<TestApp> {
  const testDb = await createTestDb();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    LOGIN_RATE_PER_MINUTE: '10000',
    // Uploads and documents in a temporary folder of the test process, not ./data of the checkout.
    DATA_DIR: 'memory',
    ...opts.env,
  });
  if (opts.seed !== false) await seedDemoOrganisation(testDb.db);
  if (opts.catalog) {
    await seedDemoCatalog(testDb.db, {
      powers: 300,
      forms: true,
      ...(opts.catalog === true ? {} : opts.catalog),
    });
  }
  const app = await buildApp({ db: testDb.db, config }, { webDist: '/nonexistent' });
  await app.ready();
  const jobs = createJobRunner({ handle: testDb, config, log: app.log });

  function client(cookies: Record<string, string>): Client {
    const send = async (
      method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
      url: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) => {
      const res = await app.inject({
        method,
        url,
        cookies,
        headers: {
          ...(cookies.tb_csrf && method !== 'GET' ? { 'x-csrf-token': cookies.tb_csrf } : {}),
          ...headers,
        },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      for (const c of res.cookies as { name: string; value: string }[]) cookies[c.name] = c.value;
      return res;
    };
    return {
      cookies,
      get: (url, headers) => send('GET', url, undefined, headers),
      post: (url, body, headers) => send('POST', url, body ?? {}, headers),
      patch: (url, body, headers) => send('PATCH', url, body ?? {}, headers),
      put: (url, body, headers) => send('PUT', url, body ?? {}, headers),
      delete: (url, headers) => send('DELETE', url, undefined, headers),
    };
  }

  async function login(
    accountType: 'staff' | 'applicant',
    username: string,
    password: string,
  ): Promise<Client> {
    const c = client({});
    const res = await c.post('/api/v1/auth/login', { accountType, username, password });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    return c;
  }

  return {
    app,
    db: testDb.db,
    config,
    jobs,
    as: (username, password = DEMO_PASSWORD) => login('staff', username, password),
    asApplicant: (mobile, password = DEMO_PASSWORD) => login('applicant', mobile, password),
    anonymous: () => client({}),
    close: async () => {
      await jobs.stop();
      await app.close();
      await testDb.close();
    },
  };
}
