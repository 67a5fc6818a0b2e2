import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { type Config, ConfigError } from './config.js';
import { openDatabase } from './db/client.js';
import { closeOnSignal, prepareDatabase, printBanner, startPlatform } from './main.js';
import { answerClusterMetrics } from './platform/cluster-metrics.js';

/**
 * `WORKERS=N` (docs/operations/scale-out.md, "Several workers on one machine"): one server process is one
 * JavaScript thread, so on a machine with more cores `tongban start` forks N workers that share the port
 * (node:cluster hands each new connection to the next worker). Every worker is a full node — sessions,
 * rate limits, the outbox and timed jobs already work across nodes through the database — so the primary
 * only migrates and seeds once before forking, restarts a worker that dies, stops them all on SIGTERM, and
 * sums their metrics for /metrics.
 */

export const isClusterWorker = (): boolean => cluster.isWorker;

/** How many server processes `WORKERS` asks for on this engine. */
export function workerCount(config: Pick<Config, 'WORKERS' | 'DATABASE_URL'>): number {
  const embedded = !config.DATABASE_URL;
  if (config.WORKERS === 'auto') return embedded ? 1 : availableParallelism();
  const n = Number(config.WORKERS);
  if (n > 1 && embedded)
    throw new ConfigError(
      `Invalid configuration / 配置错误:\n  WORKERS: ${n} worker processes need PostgreSQL (DATABASE_URL); ` +
        'the embedded PGlite belongs to one process / 多个工作进程需要 PostgreSQL(DATABASE_URL),内嵌 PGlite 只能由一个进程使用',
    );
  return n;
}

/** A worker: a full platform on the shared port, on the database its primary prepared. */
export async function startWorker(): Promise<void> {
  closeOnSignal(await startPlatform({ prepared: true }));
}

/**
 * The primary: migrate and seed once, fork the workers, print the banner when all listen, restart a worker
 * that dies (a worker that dies before it ever listened stops the server: its configuration or database is
 * wrong, and starting it again would fail the same way), stop them all on SIGTERM or SIGINT.
 */
export async function startPrimary(config: Config, workers: number): Promise<void> {
  const handle = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    readDatabaseUrl: config.READ_DATABASE_URL,
    dataDir: config.DATA_DIR,
  });
  let seeded: boolean;
  try {
    seeded = await prepareDatabase(handle, config);
  } finally {
    await handle.close();
  }

  answerClusterMetrics();

  let stopping = false;
  const listened = new Set<number>();
  const log = (line: string) => process.stderr.write(`[tongban primary ${process.pid}] ${line}\n`);

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    const exited = alive.map((w) => new Promise<void>((res) => w.once('exit', () => res())));
    for (const w of alive) w.process.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const w of alive) if (!w.isDead()) w.process.kill('SIGKILL');
    }, 30_000);
    await Promise.all(exited);
    clearTimeout(timer);
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const ready = new Promise<string>((resolve) => {
    cluster.on('listening', (worker, address) => {
      listened.add(worker.id);
      if (listened.size === workers) {
        const host = !address.address || address.address === '0.0.0.0' || address.address === '::';
        resolve(`http://${host ? 'localhost' : address.address}:${address.port}`);
      }
    });
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listened.has(worker.id)) {
      log(`worker ${worker.process.pid} stopped before it listened (${signal ?? code}); stopping`);
      void stopAll(1);
      return;
    }
    log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    setTimeout(() => {
      if (!stopping) cluster.fork();
    }, 1000).unref();
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  const url = await ready;
  printBanner(url, handle, seeded, config, workers);
}
