import { execFile, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import pg from 'pg';
import { drive, round, type Stats, timed } from './http.js';
import { rssMB } from './machine.js';

/**
 * The machine's limits, measured in the same run as our own figures so the ratio means something on a
 * shared machine: pgbench's TPC-B-like transactions per second on the same PostgreSQL server with the same
 * number of clients, and a bare Fastify "hello" server (a child process, as ours is) driven by the same HTTP
 * client code at the same concurrency — and the disk's flush latency, which every commit waits for.
 */

const run = promisify(execFile);

/** pgbench on PATH, else Debian's versioned one (postgresql-client / postgresql-contrib). */
export function findPgbench(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/pgbench`)) return `${dir}/pgbench`;
  }
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  for (const v of readdirSync(base).sort().reverse()) {
    const p = `${base}/${v}/bin/pgbench`;
    if (existsSync(p)) return p;
  }
  return null;
}

export type PgbenchResult = {
  clients: number;
  threads: number;
  scale: number;
  seconds: number;
  tps: number;
  latencyMs: number;
  transactions: number;
  failed: number;
};

/**
 * `pgbench -i -s <scale>` into a scratch database of its own on the server of `pgUrl` (dropped afterwards),
 * then the built-in TPC-B-like script for `seconds` with `clients` clients (`-M prepared`, as our driver
 * prepares nothing but pays no parse either way on a warm plan cache). Scale ≥ clients, as TPC-B wants, so
 * clients do not all queue on one branch row.
 */
export async function runPgbench(opts: {
  pgUrl: string;
  clients: number;
  seconds: number;
  scale?: number;
  log?: (line: string) => void;
}): Promise<PgbenchResult | { skipped: string }> {
  const bin = findPgbench();
  if (!bin) return { skipped: 'pgbench not found (apt-get install postgresql-contrib)' };
  const name = `tongban_bench_pgbench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: opts.pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(opts.pgUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const scale = opts.scale ?? Math.max(opts.clients, 1);
  const threads = Math.min(opts.clients, 2);
  try {
    opts.log?.(`  pgbench -i -s ${scale} …`);
    await run(bin, ['-i', '-q', '-s', String(scale), url], { maxBuffer: 1 << 24 });
    opts.log?.(`  pgbench -c ${opts.clients} -j ${threads} -T ${opts.seconds} -M prepared …`);
    const { stdout } = await run(
      bin,
      ['-c', String(opts.clients), '-j', String(threads), '-T', String(opts.seconds), '-M', 'prepared', url],
      { maxBuffer: 1 << 24 },
    );
    const num = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? Number.NaN);
    return {
      clients: opts.clients,
      threads,
      scale,
      seconds: opts.seconds,
      tps: Math.round(num(/tps = ([\d.]+) \(without initial connection time\)/)),
      latencyMs: num(/latency average = ([\d.]+) ms/),
      transactions: num(/number of transactions actually processed: (\d+)/),
      failed: num(/number of failed transactions: (\d+)/) || 0,
    };
  } finally {
    const c = new pg.Client({ connectionString: opts.pgUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  }
}

export type BareResult = {
  clients: number;
  seconds: number;
  requestsPerSec: number;
  latency: Stats;
  errors: number;
  rssMaxMB: number;
};

/** The bare server: Fastify with one route, in a child process, listening on a random port. */
export async function startBareServer(): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [resolve('bench/lib/hello-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exit = new Promise<void>((res) => child.once('exit', () => res()));
  const url = await new Promise<string>((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error('bare server did not start in 20 s')), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /listening (http:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    void exit.then(() => rej(new Error('bare server exited before listening')));
  });
  return {
    url,
    pid: child.pid as number,
    stop: async () => {
      child.kill('SIGTERM');
      await exit;
    },
  };
}

/** GET /hello at `clients` concurrency for `seconds` after `warmup` seconds, with our client code. */
export async function runBareFastify(opts: {
  clients: number;
  seconds: number;
  warmup: number;
}): Promise<BareResult> {
  const server = await startBareServer();
  const rss: number[] = [];
  try {
    const r = await drive({
      clients: opts.clients,
      warmup: opts.warmup,
      duration: opts.seconds,
      call: async (samples) => {
        await timed(samples, 'hello', `${server.url}/hello`, {}, 200);
      },
      onTick: () => {
        const m = rssMB(server.pid);
        if (m) rss.push(m.rss);
      },
    });
    return {
      clients: opts.clients,
      seconds: r.seconds,
      requestsPerSec: r.requestsPerSec,
      latency: r.all,
      errors: r.errors.total,
      rssMaxMB: rss.length ? Math.max(...rss) : 0,
    };
  } finally {
    await server.stop();
  }
}

export type DiskFlushResult = {
  dir: string;
  seconds: number;
  flushes: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Flushes that took over 100 ms, as [seconds into the probe, ms]: each is a moment every commit waited. */
  over100ms: [number, number][];
};

/**
 * The disk's flush latency, as a commit meets it: an 8 KB write and `fdatasync`, again and again for `seconds`,
 * in `dir` (the benchmark's results folder; on a one-disk machine the disk PostgreSQL's WAL is on). Its
 * maximum is the longest any commit can wait for the disk alone: a flush held for a second stalls every
 * writing request at once, whatever the code does. Synchronous on purpose: nothing else runs meanwhile.
 */
export function probeDiskFlush(dir: string, seconds: number): DiskFlushResult {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `.flush-probe-${process.pid}`);
  const fd = openSync(path, 'w', 0o600);
  const page = Buffer.alloc(8192, 120);
  const lat: number[] = [];
  const over100ms: [number, number][] = [];
  const start = performance.now();
  try {
    for (let t = start; t - start < seconds * 1000; ) {
      writeSync(fd, page, 0, page.length, 0);
      fdatasyncSync(fd);
      const now = performance.now();
      lat.push(now - t);
      if (now - t > 100) over100ms.push([round((t - start) / 1000, 2), Math.round(now - t)]);
      t = now;
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  lat.sort((a, b) => a - b);
  const at = (q: number) => round(lat[Math.min(lat.length - 1, Math.floor(lat.length * q))] ?? 0, 2);
  return {
    dir,
    seconds,
    flushes: lat.length,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: round(lat[lat.length - 1] ?? 0, 1) },
    over100ms,
  };
}
