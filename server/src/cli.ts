import { parseArgs } from 'node:util';
import { isClusterWorker, startPrimary, startWorker, workerCount } from './cluster.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { migrate } from './db/migrate.js';
import { seedDemoCases } from './db/seed/demo-cases.js';
import { isCatalogSeeded, seedDemoCatalog } from './db/seed/demo-catalog.js';
import { seedDemoJoint } from './db/seed/demo-joint.js';
import { isSeeded, seedDemoOrganisation } from './db/seed/demo-org.js';
import { seedDemoSupervision } from './db/seed/demo-supervision.js';
import { closeOnSignal, startPlatform } from './main.js';
import { exportCatalogCommand, importCatalogCommand } from './modules/catalog/cli.js';
import { verifyAuditChain } from './platform/audit.js';
import { limitHeapGrowth } from './platform/heap.js';

const usage = `tongban — Tongban 通办 command line

  tongban start              migrate, load the demo data on first start, serve API and web (PORT, default 8080;
                             WORKERS=N or auto: N server processes on the port, PostgreSQL only)
  tongban migrate            apply pending database migrations
  tongban seed --demo        load the demo organisation and catalog into an empty database
  tongban import catalog FILE.xlsx [--dry-run]
                             import catalog lists (docs/catalog-import.md): all rows or none, errors by sheet/row/column
  tongban export catalog [--template] [--format xlsx|csv] [--list items,fees,…] --out FILE
                             export the lists in effect, or the empty import template
  tongban verify audit       check the audit log's hash chain; exit 1 at the first broken row

Environment: DATABASE_URL (PostgreSQL; default: embedded PGlite in DATA_DIR=./data), PORT, HOST, LOG_LEVEL,
SEED_DEMO, COOKIE_SECURE, … (see README.md, "Configuration").`;

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS,
  });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean', default: false },
      template: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      format: { type: 'string', default: 'xlsx' },
      list: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`);
    return command || values.help ? 0 : 1;
  }
  switch (command) {
    case 'start': {
      const config = loadConfig();
      limitHeapGrowth(config);
      if (isClusterWorker()) {
        await startWorker();
        return -1;
      }
      const workers = workerCount(config);
      if (workers > 1) {
        await startPrimary(config, workers);
        return -1;
      }
      closeOnSignal(await startPlatform({ banner: true }));
      return -1;
    }
    case 'migrate':
      return withDb(async (db) => {
        const applied = await migrate(db);
        process.stdout.write(
          applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n',
        );
        return 0;
      });
    case 'seed':
      if (!values.demo) {
        process.stderr.write('seed: only --demo is available\n');
        return 2;
      }
      return withDb(async (db) => {
        await migrate(db);
        if (await isSeeded(db)) {
          if (!(await isCatalogSeeded(db))) {
            const c = await seedDemoCatalog(db);
            process.stdout.write(
              `demo catalog loaded: ${c.items} items, ${c.powers} powers, ${c.fees} fees\n`,
            );
            return 0;
          }
          process.stdout.write('the database already holds an organisation; nothing loaded\n');
          return 0;
        }
        const summary = await seedDemoOrganisation(db);
        process.stdout.write(
          `demo organisation loaded: ${summary.accounts.length} staff accounts, ${summary.applicants.length} applicants\n`,
        );
        const c = await seedDemoCatalog(db);
        process.stdout.write(`demo catalog loaded: ${c.items} items, ${c.powers} powers, ${c.fees} fees\n`);
        const cases = await seedDemoCases(db, loadConfig());
        process.stdout.write(`demo cases loaded: ${cases}\n`);
        const joint = await seedDemoJoint(db);
        process.stdout.write(
          `demo joint approval loaded: ${joint.templates} templates, ${joint.projects} projects\n`,
        );
        const sup = await seedDemoSupervision(db);
        process.stdout.write(`demo supervision loaded: ${sup.alerts} alerts, ${sup.cards} card\n`);
        return 0;
      });
    case 'import':
      if (sub !== 'catalog' || !positionals[2]) {
        process.stderr.write('import: usage: tongban import catalog FILE.xlsx [--dry-run]\n');
        return 2;
      }
      return withDb(async (db) => {
        await migrate(db);
        return importCatalogCommand(db, positionals[2], {
          homeRegion: loadConfig().HOME_REGION,
          dryRun: values['dry-run'],
        });
      });
    case 'export':
      if (sub !== 'catalog') {
        process.stderr.write(
          'export: usage: tongban export catalog [--template] [--format xlsx|csv] [--list …] --out FILE\n',
        );
        return 2;
      }
      return withDb((db) =>
        exportCatalogCommand(db, {
          out: values.out,
          template: values.template,
          format: values.format,
          lists: values.list,
        }),
      );
    case 'verify':
      if (sub !== 'audit') {
        process.stderr.write('verify: usage: tongban verify audit\n');
        return 2;
      }
      return withDb(async (db) => {
        const result = await verifyAuditChain(db);
        if (result.ok) {
          process.stdout.write(`audit chain intact: ${result.rows} rows\n`);
          return 0;
        }
        process.stdout.write(
          `audit chain BROKEN at row id ${result.brokenAt} (${result.reason === 'hash' ? 'row altered' : 'link broken'}) after ${result.rows - 1} good rows\n`,
        );
        return 1;
      });
    default:
      process.stderr.write(`unknown command: ${command}\n\n${usage}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
