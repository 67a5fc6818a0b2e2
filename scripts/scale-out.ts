import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Two (or more) Tongban nodes on one PostgreSQL behind nginx, all on this machine — the setup of
 * docs/operations/scale-out.md, for trying it, for the benchmark (`npm run bench -- --url <nginx>`) and for
 * the test that kills a node mid-run (scripts/scale-out.test.ts).
 *
 *   npx tsx scripts/scale-out.ts --database-url postgres://postgres@127.0.0.1:5432/tongban [--nodes 2]
 *                                [--port 8088] [--data-dir ./data]
 *
 * Each node is `node bin/tongban.mjs start` with its own PORT and the same DATABASE_URL and DATA_DIR
 * (uploads and documents live in <DATA_DIR>/files: every node must see the same folder). The first node
 * starts alone, so it alone migrates and loads the demo data; the others follow. nginx runs in the
 * foreground with its own configuration in a temporary folder (not the system service), round-robin over
 * the nodes, passing the client address in X-Forwarded-For. Ctrl-C stops everything.
 */

export type Node = {
  index: number;
  url: string;
  pid: number;
  /** Send a signal (SIGKILL to simulate a crash); resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  exited: boolean;
};

export type Cluster = {
  /** nginx in front of the nodes. */
  url: string;
  nodes: Node[];
  nginxPid: number;
  dir: string;
  stop(): Promise<void>;
};

export type ClusterOptions = {
  databaseUrl: string;
  nodes?: number;
  /** nginx's port (default: a free one). */
  port?: number;
  /** Shared DATA_DIR of the nodes (default: a temporary folder, removed by stop()). */
  dataDir?: string;
  /** More environment for the nodes (SMS gateway, SMTP, JOBS_POLL_SECONDS …). */
  env?: NodeJS.ProcessEnv;
  /** Node and nginx output goes to files in the cluster's folder; with `echo` also to this process. */
  echo?: boolean;
};

/** nginx from PATH or Debian's /usr/sbin; null when it is not installed. */
export function findNginx(): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (dir && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
  }
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function nginxConf(dir: string, port: number, upstreams: string[]): string {
  return `# Written by scripts/scale-out.ts: nginx in front of ${upstreams.length} Tongban nodes.
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream tongban {
${upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=10s;`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 25m;
    location / {
      proxy_pass http://tongban;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # A node that refuses the connection is skipped. A request already sent is not resent to another
      # node unless it is idempotent (nginx's default): a POST that may have committed comes back as 502,
      # and the client retries it with its Idempotency-Key.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
    }
  }
}
`;
}

function startNode(
  index: number,
  port: number,
  env: NodeJS.ProcessEnv,
  logFile: string,
  echo: boolean,
): Promise<Node> {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [resolve('bin/tongban.mjs'), 'start'], {
    cwd: resolve('.'),
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exit = new Promise<void>((res) => child.once('exit', () => res()));
  const node: Node = {
    index,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    exited: false,
    kill: async (signal = 'SIGTERM') => {
      if (!node.exited) child.kill(signal);
      await exit;
    },
  };
  void exit.then(() => {
    node.exited = true;
    log.end();
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.pipe(log, { end: false });
    if (echo) stream?.on('data', (d: Buffer) => process.stdout.write(`[node ${index}] ${d}`));
  }
  return new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(
      () => rej(new Error(`node ${index} did not start in 120 s (${logFile})`)),
      120_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      if (/running at http/.test(buf)) {
        clearTimeout(timer);
        res(node);
      }
    });
    void exit.then(() => {
      clearTimeout(timer);
      rej(new Error(`node ${index} exited before listening (${logFile})`));
    });
  });
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx is not installed (apt-get install nginx)');
  const dir = await mkdtemp(join(tmpdir(), 'tongban-scale-out-'));
  const dataDir = opts.dataDir ?? join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'warn',
    ...opts.env,
    DATABASE_URL: opts.databaseUrl,
    DATA_DIR: dataDir,
  };
  const nodes: Node[] = [];
  let nginxChild: ChildProcess | undefined;
  const stop = async () => {
    if (nginxChild && nginxChild.exitCode === null) {
      const gone = new Promise((r) => nginxChild?.once('exit', r));
      nginxChild.kill('SIGQUIT');
      await gone;
    }
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const count = opts.nodes ?? 2;
    for (let i = 0; i < count; i += 1) {
      // One after another: the first migrates and seeds, the next find the work done.
      nodes.push(await startNode(i, await freePort(), env, join(dir, `node-${i}.log`), !!opts.echo));
    }
    const port = opts.port ?? (await freePort());
    const conf = join(dir, 'nginx.conf');
    await writeFile(
      conf,
      nginxConf(
        dir,
        port,
        nodes.map((n) => n.url.replace('http://', '')),
      ),
    );
    nginxChild = spawn(nginx, ['-e', join(dir, 'nginx-error.log'), '-p', dir, '-c', conf], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const res = await fetch(`${url}/readyz`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (nginxChild.exitCode !== null) throw new Error(`nginx exited (${join(dir, 'nginx-error.log')})`);
      if (Date.now() > deadline) throw new Error('nginx did not answer in 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { url, nodes, nginxPid: nginxChild.pid as number, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

if (process.argv[1]?.endsWith('scale-out.ts')) {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string', default: process.env.DATABASE_URL },
      nodes: { type: 'string', default: '2' },
      port: { type: 'string', default: '8088' },
      'data-dir': { type: 'string' },
    },
  });
  const databaseUrl = values['database-url'];
  if (!databaseUrl) {
    process.stderr.write('usage: npx tsx scripts/scale-out.ts --database-url postgres://… [--nodes 2]\n');
    process.exit(2);
  }
  const cluster = await startCluster({
    databaseUrl,
    nodes: Number(values.nodes),
    port: Number(values.port),
    ...(values['data-dir'] ? { dataDir: resolve(values['data-dir']) } : {}),
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    echo: true,
  });
  process.stdout.write(
    `\n  nginx ${cluster.url} (pid ${cluster.nginxPid}) → ${cluster.nodes.map((n) => `${n.url} (pid ${n.pid})`).join(', ')}\n` +
      `  logs and nginx.conf: ${cluster.dir}\n` +
      `  benchmark through nginx: npm run bench -- --url ${cluster.url} --database-url ${databaseUrl}\n\n`,
  );
  const shutdown = () => {
    void cluster.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
