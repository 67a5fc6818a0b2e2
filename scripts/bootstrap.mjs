#!/usr/bin/env node
// The two commands of the quick start: `npm start` and `npm test`. Both work on a fresh clone: they install
// the dependencies when node_modules is missing or older than package-lock.json, and build the web app when
// web/dist is missing or older than its sources. Plain Node (no dependencies) so it runs before the install.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const [command, ...rest] = process.argv.slice(2);

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status ?? 1);
  }
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newest(dir) {
  let max = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(p) : mtime(p));
  }
  return max;
}

function ensureInstalled() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && mtime(marker) >= mtime(lock)) return;
  // `npm install`, not `npm ci`: it follows package-lock.json too, and tolerates optional platform packages
  // (Biome's builds for other systems) that a registry mirror does not carry, where `npm ci` refuses.
  console.log('› installing dependencies (npm install, following package-lock.json)…');
  run(npm, ['install', '--no-audit', '--no-fund']);
}

function ensureWebBuilt() {
  const built = mtime(join(root, 'web', 'dist', 'index.html'));
  const sources = Math.max(
    newest(join(root, 'web', 'src')),
    mtime(join(root, 'web', 'index.html')),
    mtime(join(root, 'web', 'vite.config.ts')),
    mtime(join(root, 'package-lock.json')),
  );
  if (built > 0 && built >= sources) return;
  console.log('› building the web app (vite build)…');
  run(npm, ['run', '--silent', 'build']);
}

/**
 * Debian packages the tests drive: Chromium for the browser tests, poppler-utils to rasterise PDFs, nginx for
 * the two-node test, pgbench (postgresql-contrib) for the benchmark's quick run, and the PostgreSQL server
 * binaries (initdb, pg_basebackup) for the read-replica test.
 */
function ensureTestTools() {
  const hasPg = (bin) =>
    existsSync(`/usr/bin/${bin}`) ||
    (existsSync('/usr/lib/postgresql') &&
      readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/${bin}`)));
  const missing = [
    ['/usr/bin/chromium', 'chromium'],
    ['/usr/bin/pdftoppm', 'poppler-utils'],
    ['/usr/sbin/nginx', 'nginx'],
  ].filter(([path]) => !existsSync(path));
  if (!hasPg('pgbench') || !hasPg('initdb')) missing.push(['pgbench', 'postgresql-contrib']);
  if (missing.length === 0) return;
  const packages = missing.map(([, pkg]) => pkg);
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`› installing Debian ${packages.join(', ')} for the tests…`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', ...packages], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return;
  }
  console.error(`✗ the tests need ${packages.join(', ')}: sudo apt-get install ${packages.join(' ')}`);
  process.exit(1);
}

switch (command) {
  case 'start': {
    ensureInstalled();
    ensureWebBuilt();
    const child = spawn(process.execPath, [join(root, 'bin', 'tongban.mjs'), 'start', ...rest], {
      cwd: root,
      stdio: 'inherit',
    });
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
    child.on('exit', (code) => process.exit(code ?? 0));
    break;
  }
  case 'test': {
    ensureInstalled();
    ensureWebBuilt();
    ensureTestTools();
    console.log('› lint (biome) and type-check (tsc)…');
    run(npm, ['run', '--silent', 'lint']);
    run(npm, ['run', '--silent', 'typecheck']);
    if (!process.env.TEST_DATABASE_URL) {
      console.log(
        '› TEST_DATABASE_URL is not set: integration tests run on PGlite only (.ci/run adds PostgreSQL)',
      );
    }
    const vitest = [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run'];
    if (rest.length) {
      run(process.execPath, [...vitest, ...rest]);
      break;
    }
    // The ops project's load tests fill both cores for minutes; beside them, browser tests timed out on a
    // slow host (2026-11-22). So the other projects first, then ops alone; both run, the worse exit counts.
    const first = ['unit', 'pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : []), 'e2e'];
    const results = [
      spawnSync(process.execPath, [...vitest, ...first.flatMap((p) => ['--project', p])], {
        cwd: root,
        stdio: 'inherit',
      }),
      spawnSync(process.execPath, [...vitest, '--project', 'ops'], { cwd: root, stdio: 'inherit' }),
    ];
    const failed = results.find((r) => r.status !== 0);
    if (failed) {
      console.error(`\n✗ vitest failed (exit ${failed.status ?? failed.signal})`);
      process.exit(failed.status ?? 1);
    }
    break;
  }
  default:
    console.error('usage: node scripts/bootstrap.mjs start|test');
    process.exit(2);
}
