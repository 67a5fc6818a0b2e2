import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { startPlatform } from '../../server/src/main.js';

/**
 * The server under test. By default a child process (`node bin/tongban.mjs start`), so its RSS and CPU are
 * its own and the load generator does not share its event loop; `inProcess` starts it with `startPlatform`
 * in the benchmark's own process instead (RSS then includes the load generator).
 */
export type ServerUnderTest = {
  url: string;
  pid: number;
  inProcess: boolean;
  stop(): Promise<void>;
};

export type ServerOptions = {
  env: NodeJS.ProcessEnv;
  inProcess?: boolean;
  /** Write a V8 CPU profile of the server into this folder when it stops (child process only). */
  cpuProfDir?: string;
  /** Server output (warnings, errors) goes here. */
  logFile: string;
  /** Give up waiting for the server to listen after this long (first start seeds the demo data). */
  startTimeoutMs?: number;
};

export async function startServer(opts: ServerOptions): Promise<ServerUnderTest> {
  if (opts.inProcess) {
    const env = opts.env;
    const platform = await startPlatform({
      port: 0,
      host: '127.0.0.1',
      seedDemo: true,
      logLevel: env.LOG_LEVEL ?? 'warn',
      env,
    });
    return {
      url: platform.url,
      pid: process.pid,
      inProcess: true,
      stop: () => platform.close(),
    };
  }
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const args = [
    ...(opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : []),
    resolve('bin/tongban.mjs'),
    'start',
  ];
  const child = spawn(process.execPath, args, {
    cwd: resolve('.'),
    env: { ...opts.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((res) =>
    child.once('exit', (code) => {
      exited = code;
      res(code);
    }),
  );
  child.stderr.pipe(log, { end: false });
  const url = await new Promise<string>((res, rej) => {
    let buffer = '';
    const timer = setTimeout(
      () =>
        rej(
          new Error(
            `server did not start within ${opts.startTimeoutMs ?? 300_000} ms (log: ${opts.logFile})`,
          ),
        ),
      opts.startTimeoutMs ?? 300_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffer += chunk.toString();
      const m = /running at (http:\/\/\S+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      rej(new Error(`server exited with ${code} before listening (log: ${opts.logFile})`));
    });
  });
  return {
    url: url.replace('localhost', '127.0.0.1'),
    pid: child.pid as number,
    inProcess: false,
    stop: async () => {
      if (exited === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        await exit;
        clearTimeout(timer);
      }
      await new Promise<void>((res) => log.end(res));
    },
  };
}
