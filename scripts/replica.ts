import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './scale-out.js';

/**
 * A streaming read replica on this machine (docs/operations/scale-out.md, "A read replica"):
 * `pg_basebackup -R` of a primary into a temporary folder, started as a second cluster on another port with
 * Debian's server binaries. The server reads lag-tolerant queries from it with READ_DATABASE_URL.
 *
 *   npx tsx scripts/replica.ts --primary-url postgres://postgres@127.0.0.1:5432/postgres [--port 5433]
 *   npx tsx scripts/replica.ts --own-primary      # a throw-away primary too (what the test uses)
 *
 * The primary needs `wal_level` replica or logical (the default; a change needs a restart), free
 * `max_wal_senders` (default 10) and a pg_hba.conf line allowing replication connections from 127.0.0.1
 * (a reload is enough). The script checks the first two and says what is missing; it never changes or
 * restarts the primary.
 */

const run = promisify(execFile);

/** Debian's versioned server binaries (initdb, pg_ctl, pg_basebackup), newest first; null when absent. */
export function findPgBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) {
    const dir = `${base}/${v}/bin`;
    if (['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((b) => existsSync(`${dir}/${b}`))) return dir;
  }
  return null;
}

/** PostgreSQL refuses to run as root: as root, the clusters belong to the `postgres` user. */
async function asPostgres(bin: string, args: string[]): Promise<string> {
  const root = process.getuid?.() === 0;
  const { stdout } = await run(root ? 'runuser' : bin, root ? ['-u', 'postgres', '--', bin, ...args] : args, {
    maxBuffer: 1 << 24,
  });
  return stdout;
}

async function ownedFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: g } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(g.trim()));
  }
  await chmod(dir, 0o700);
  return dir;
}

export type Cluster = { url: string; port: number; dir: string; stop(): Promise<void> };

async function startCluster(bin: string, dir: string, port: number): Promise<Cluster> {
  await asPostgres(`${bin}/pg_ctl`, [
    '-D',
    dir,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop: async () => {
      await asPostgres(`${bin}/pg_ctl`, ['-D', dir, '-m', 'fast', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A throw-away primary: initdb (UTF-8, C.UTF-8), trust on 127.0.0.1 for connections and replication. */
export async function startPrimary(bin: string): Promise<Cluster> {
  const dir = await ownedFolder('tongban-primary-');
  await asPostgres(`${bin}/initdb`, [
    '-D',
    dir,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const hba = [
    'local all all trust',
    'host all all 127.0.0.1/32 trust',
    'host replication all 127.0.0.1/32 trust',
  ];
  await writeFile(join(dir, 'pg_hba.conf'), `${hba.join('\n')}\n`);
  // Small and quick to start: this primary exists for a test or a trial.
  await writeFile(
    join(dir, 'postgresql.auto.conf'),
    "shared_buffers = '32MB'\nfsync = off\nwal_level = replica\nmax_wal_senders = 4\n",
  );
  if (process.getuid?.() === 0)
    await run('chown', ['postgres:postgres', join(dir, 'pg_hba.conf'), join(dir, 'postgresql.auto.conf')]);
  return startCluster(bin, dir, await freePort());
}

/** What stops `primaryUrl` from feeding a replica, or null when it can. */
export async function primaryProblem(primaryUrl: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: primaryUrl });
  await c.connect();
  try {
    const r = await c.query<{ wal_level: string; senders: number; used: number }>(`SELECT
      current_setting('wal_level') AS wal_level, current_setting('max_wal_senders')::int AS senders,
      (SELECT count(*)::int FROM pg_stat_replication) AS used`);
    const s = r.rows[0];
    if (s.wal_level === 'minimal')
      return 'wal_level is minimal: set wal_level = replica and restart the primary (a restart, so not done here)';
    if (s.senders - s.used < 1)
      return `max_wal_senders (${s.senders}) are all in use: raise it and restart the primary`;
    return null;
  } finally {
    await c.end();
  }
}

/** pg_basebackup -R of `primaryUrl`, started as a hot standby on a port of its own. */
export async function startReplica(bin: string, primaryUrl: string, port?: number): Promise<Cluster> {
  const problem = await primaryProblem(primaryUrl);
  if (problem) throw new Error(problem);
  const dir = await ownedFolder('tongban-replica-');
  const u = new URL(primaryUrl);
  try {
    await asPostgres(`${bin}/pg_basebackup`, [
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      decodeURIComponent(u.username || 'postgres'),
      '-D',
      dir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const msg = err instanceof Error ? err.message : String(err);
    if (/pg_hba\.conf|replication connection/.test(msg))
      throw new Error(
        `the primary refuses replication connections: add "host replication all 127.0.0.1/32 trust" (or scram) to its pg_hba.conf and reload it (SELECT pg_reload_conf()) — ${msg.split('\n').find((l) => l.includes('FATAL')) ?? msg}`,
      );
    throw err;
  }
  return startCluster(bin, dir, port ?? (await freePort()));
}

/** Wait until the replica has replayed everything the primary has written so far. */
export async function waitForReplay(
  primaryUrl: string,
  replicaUrl: string,
  timeoutMs = 30_000,
): Promise<void> {
  const p = new pg.Client({ connectionString: primaryUrl });
  const r = new pg.Client({ connectionString: replicaUrl });
  await p.connect();
  await r.connect();
  try {
    const target = (await p.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
    const until = Date.now() + timeoutMs;
    for (;;) {
      const done = await r.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [
        target,
      ]);
      if (done.rows[0]?.ok) return;
      if (Date.now() > until) throw new Error('the replica did not catch up in time');
      await new Promise((res) => setTimeout(res, 100));
    }
  } finally {
    await p.end();
    await r.end();
  }
}

if (process.argv[1]?.endsWith('replica.ts')) {
  const { values } = parseArgs({
    options: {
      'primary-url': { type: 'string' },
      'own-primary': { type: 'boolean', default: false },
      port: { type: 'string' },
    },
  });
  const bin = findPgBin();
  if (!bin) {
    process.stderr.write('PostgreSQL server binaries not found (apt-get install postgresql-contrib)\n');
    process.exit(1);
  }
  const primary = values['own-primary'] ? await startPrimary(bin) : null;
  const primaryUrl = primary?.url ?? values['primary-url'];
  if (!primaryUrl) {
    process.stderr.write('usage: npx tsx scripts/replica.ts --primary-url postgres://… | --own-primary\n');
    process.exit(2);
  }
  let replica: Cluster;
  try {
    replica = await startReplica(bin, primaryUrl, values.port ? Number(values.port) : undefined);
  } catch (err) {
    await primary?.stop();
    process.stderr.write(`✗ ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const dbUrl = (base: string) => base.replace(/\/postgres$/, '/<database>');
  process.stdout.write(
    `\n  ${primary ? `primary ${primary.url} (${primary.dir})\n  ` : ''}replica ${replica.url} (${replica.dir})\n` +
      `  start the server with DATABASE_URL=${dbUrl(primaryUrl)} READ_DATABASE_URL=${dbUrl(replica.url)}\n` +
      '  Ctrl-C stops the replica (and the throw-away primary) and removes their folders.\n\n',
  );
  const shutdown = async () => {
    await replica.stop();
    await primary?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}
