import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `WORKERS=2 tongban start` (server/src/cluster.ts, docs/operations/scale-out.md): one primary and two worker
 * processes on one port and one PostgreSQL. Connections are spread over both workers, /metrics sums them,
 * a rate limit counts across them, a killed worker is replaced while the other serves, and SIGTERM stops all.
 */
const baseUrl = process.env.TEST_DATABASE_URL;
const skip = baseUrl
  ? null
  : 'TEST_DATABASE_URL is not set (workers need PostgreSQL; PGlite has one process)';
if (skip) process.stdout.write(`workers test skipped: ${skip}\n`);

/**
 * The worker processes of the primary `pid`, from /proc: its children that run bin/tongban.mjs (with a cold
 * tsx cache a process also has an esbuild child, which is not a worker).
 */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('tongban.mjs')) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out.sort();
}

/** One request on a connection of its own (keep-alive would pin every request to one worker). */
function fresh(
  url: string,
  method = 'GET',
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: { connection: 'close', ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer from ${method} ${url} within 15 s`)));
    req.on('error', reject);
    req.end(data);
  });
}

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe.skipIf(!!skip)('WORKERS=2: two server processes on one port', () => {
  const name = `tongban_workers_${randomBytes(4).toString('hex')}`;
  let dbUrl: string;
  let server: ChildProcess;
  let url: string;
  let output = '';
  let exitCode: Promise<number | null>;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(
      `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
    await admin.end();
    const u = new URL(baseUrl as string);
    u.pathname = `/${name}`;
    dbUrl = u.toString();
    server = spawn(process.execPath, ['bin/tongban.mjs', 'start'], {
      env: {
        ...process.env,
        WORKERS: '2',
        DATABASE_URL: dbUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: `/tmp/${name}`,
        LOG_LEVEL: 'warn',
        LOGIN_RATE_PER_MINUTE: '3',
        JOBS_ENABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exitCode = new Promise((res) => server.once('exit', (code) => res(code)));
    server.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    server.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    await until('the banner', () => /running at (http:\/\/\S+)/.test(output), 180_000);
    url = (/running at (http:\/\/\S+)/.exec(output) as RegExpExecArray)[1].replace('localhost', '127.0.0.1');
  });

  afterAll(async () => {
    if (server?.exitCode === null) {
      server.kill('SIGKILL');
      for (const pid of childrenOf(server.pid as number)) process.kill(pid, 'SIGKILL');
    }
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    rmSync(`/tmp/${name}`, { recursive: true, force: true });
  });

  it('serves from two workers, and /metrics on either counts the requests of both', async () => {
    expect(output).toContain('(2 worker processes)');
    expect(childrenOf(server.pid as number)).toHaveLength(2);
    for (let i = 0; i < 20; i++) expect((await fresh(`${url}/healthz`)).status).toBe(200);
    // Each scrape lands on one worker; both report all twenty (per worker, each would see about ten).
    for (let i = 0; i < 4; i++) {
      const metrics = (await fresh(`${url}/metrics`)).body;
      expect(metrics).toMatch(
        /tongban_http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*\} 20\n/,
      );
      expect(Number(/^tongban_db_statements_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    }
  });

  it('counts the login rate limit across the workers', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fresh(`${url}/api/v1/auth/login`, 'POST', {
        accountType: 'staff',
        username: 'nobody',
        password: 'wrong-password',
      });
      codes.push(res.status);
    }
    expect(codes).toEqual([401, 401, 401, 429, 429]);
  });

  it('replaces a killed worker while the other one serves, and stops every process on SIGTERM', async () => {
    const [victim, survivor] = childrenOf(server.pid as number);
    process.kill(victim, 'SIGKILL');
    // Until the primary has seen the worker exit, node:cluster may still hand it a new connection, which is
    // then lost (scale-out.md); once the primary says so, every connection goes to a live worker.
    await until('the primary to see the worker exit', () =>
      output.includes(`worker ${victim} exited (SIGKILL); starting another`),
    );
    for (let i = 0; i < 5; i++) expect((await fresh(`${url}/readyz`)).status).toBe(200);
    await until('a new worker', () => childrenOf(server.pid as number).length === 2);
    const now = childrenOf(server.pid as number);
    expect(now).toContain(survivor);
    expect(now).not.toContain(victim);
    // Requests keep being answered on fresh connections, whichever worker takes them.
    for (let i = 0; i < 6; i++) expect((await fresh(`${url}/readyz`)).status).toBe(200);

    server.kill('SIGTERM');
    expect(await exitCode).toBe(0);
    expect(childrenOf(server.pid as number)).toEqual([]);
  });
});
