import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { type Config, loadConfig } from './config.js';
import { type DbHandle, openDatabase } from './db/client.js';
import { migrate } from './db/migrate.js';
import { seedDemoCases } from './db/seed/demo-cases.js';
import { seedDemoCatalog } from './db/seed/demo-catalog.js';
import { demoJointStaff, seedDemoJoint } from './db/seed/demo-joint.js';
import {
  DEMO_PASSWORD,
  demoAccounts,
  demoApplicants,
  isSeeded,
  seedDemoOrganisation,
} from './db/seed/demo-org.js';
import { seedDemoSupervision } from './db/seed/demo-supervision.js';
import { searchLocaleWarning } from './modules/catalog/search.js';
import { createJobRunner, type JobRunner } from './platform/jobs/index.js';

export type StartOptions = {
  port?: number;
  host?: string;
  /** PGlite folder, or "memory". */
  dataDir?: string;
  databaseUrl?: string;
  seedDemo?: boolean;
  webDist?: string;
  logLevel?: string;
  /** Print the banner with URL and demo accounts (the CLI does; tests do not). */
  banner?: boolean;
  /** The database is migrated and seeded already (a worker of `WORKERS=N`: its primary did it; cluster.ts). */
  prepared?: boolean;
  env?: NodeJS.ProcessEnv;
};

export type Platform = {
  url: string;
  app: FastifyInstance;
  handle: DbHandle;
  config: Config;
  /** Background jobs of this node; started unless JOBS_ENABLED=false (drain() still works). */
  jobs: JobRunner;
  close(): Promise<void>;
};

/** Config → database → migrations → demo data on first start → app → listen. */
export async function startPlatform(opts: StartOptions = {}): Promise<Platform> {
  const config = loadConfig({
    ...(opts.env ?? process.env),
    ...(opts.port !== undefined ? { PORT: String(opts.port) } : {}),
    ...(opts.host ? { HOST: opts.host } : {}),
    ...(opts.dataDir ? { DATA_DIR: opts.dataDir } : {}),
    ...(opts.databaseUrl !== undefined ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...(opts.seedDemo !== undefined ? { SEED_DEMO: String(opts.seedDemo) } : {}),
    ...(opts.webDist ? { WEB_DIST: opts.webDist } : {}),
    ...(opts.logLevel ? { LOG_LEVEL: opts.logLevel } : {}),
  });
  const handle = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    readDatabaseUrl: config.READ_DATABASE_URL,
    dataDir: config.DATA_DIR,
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS,
  });
  let seeded = false;
  try {
    if (!opts.prepared) seeded = await prepareDatabase(handle, config);
  } catch (err) {
    await handle.close();
    throw err;
  }
  const app = await buildApp({ db: handle.db, readDb: handle.readDb, config });
  const localeWarning = await searchLocaleWarning(handle.db);
  if (localeWarning) app.log.warn(localeWarning);
  let jobs: JobRunner;
  try {
    jobs = createJobRunner({ handle, config, log: app.log.child({ component: 'jobs' }) });
    if (config.JOBS_ENABLED) await jobs.start();
  } catch (err) {
    await app.close();
    await handle.close();
    throw err;
  }
  await app.listen({ port: config.PORT, host: config.HOST }).catch(async (err: unknown) => {
    await jobs.stop();
    throw err;
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const url = `http://${shownHost}:${port}`;
  if (opts.banner) printBanner(url, handle, seeded, config);
  return {
    url,
    app,
    handle,
    config,
    jobs,
    close: async () => {
      await jobs.stop();
      await app.close();
      await handle.close();
    },
  };
}

/** Close the platform and exit on SIGINT or SIGTERM (the single server and each worker of `WORKERS=N`). */
export function closeOnSignal(platform: Platform): void {
  const stop = async () => {
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Migrations, then the demo data when SEED_DEMO is on and the database is empty; true when it was loaded. */
export async function prepareDatabase(handle: DbHandle, config: Config): Promise<boolean> {
  await migrate(handle.db);
  if (!config.SEED_DEMO || (await isSeeded(handle.db))) return false;
  await seedDemoOrganisation(handle.db);
  await seedDemoCatalog(handle.db);
  await seedDemoCases(handle.db, config);
  await seedDemoJoint(handle.db);
  await seedDemoSupervision(handle.db);
  return true;
}

export function printBanner(
  url: string,
  handle: Pick<DbHandle, 'engine' | 'location'>,
  seeded: boolean,
  config: Config,
  workers = 1,
): void {
  const lines = [
    '',
    `  Tongban 通办 is running at ${url}${workers > 1 ? ` (${workers} worker processes)` : ''}`,
    `  API docs: ${url}/api/docs    health: ${url}/readyz`,
    `  Database: ${handle.engine} (${handle.location})${seeded ? ' — demo organisation loaded' : ''}`,
  ];
  if (handle.engine === 'pglite') {
    lines.push(
      '  Embedded PGlite is a single writer without fsync: use DATABASE_URL=postgres://… beyond a trial.',
    );
  }
  if (config.SEED_DEMO) {
    lines.push('', `  Demo accounts (password ${DEMO_PASSWORD}):`);
    for (const a of demoAccounts)
      lines.push(`    staff      ${a.username.padEnd(16)} ${a.roles.map((r) => r.role).join(', ')}`);
    for (const a of demoJointStaff) {
      const role = a.desk === 'window' ? 'window_clerk' : 'reviewer, approver';
      lines.push(`    staff      ${a.username.padEnd(16)} ${role} (${a.name}, joint approval and packages)`);
    }
    for (const a of demoApplicants) lines.push(`    applicant  ${a.mobile.padEnd(16)} ${a.kind}`);
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
}
