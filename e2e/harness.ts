/**
 * Starts the whole platform in this process (embedded PGlite in memory, demo organisation, the built web app)
 * and a headless Debian Chromium to drive it. One harness per test file.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { startPlatform } from '../server/src/main.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WEB_DIST = join(ROOT, 'web', 'dist');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DEMO_PASSWORD = 'Demo@2026';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds web/dist when it is missing or older than the web sources, so a test never drives a stale page. */
export async function ensureWebBuild(): Promise<void> {
  const index = join(WEB_DIST, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => join(ROOT, 'web', p));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  // A child process: inside vitest NODE_ENV is "test", which would make Vite build React's development bundle.
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  execFileSync(
    process.execPath,
    [vite, 'build', '--config', join(ROOT, 'web', 'vite.config.ts'), '--logLevel', 'warn'],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'inherit',
    },
  );
}

export type Harness = {
  url: string;
  browser: Browser;
  /** A fresh browser context (own cookies and storage) and page, zh-CN like a user in China. */
  newPage(options?: { locale?: string }): Promise<Page>;
  /** Uncaught errors thrown in any page so far. */
  pageErrors: Error[];
  close(): Promise<void>;
};

export async function startHarness(options: { databaseUrl?: string } = {}): Promise<Harness> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  await ensureWebBuild();
  const databaseUrl = options.databaseUrl ?? process.env.E2E_DATABASE_URL;
  const platform = await startPlatform({
    port: 0,
    host: '127.0.0.1',
    ...(databaseUrl ? { databaseUrl } : { dataDir: 'memory' }),
    seedDemo: true,
    webDist: WEB_DIST,
    logLevel: process.env.E2E_LOG_LEVEL ?? 'warn',
  });
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (error) {
    await platform.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const pageErrors: Error[] = [];
  return {
    url: platform.url,
    browser,
    pageErrors,
    async newPage({ locale = 'zh-CN' } = {}) {
      const context = await browser.newContext({ locale, viewport: { width: 1366, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      page.on('pageerror', (error) => pageErrors.push(error));
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await platform.close();
    },
  };
}
