import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { DEMO_PASSWORD } from '../../server/src/db/seed/demo-org.js';

/**
 * The HTTP client every scenario uses — the lifecycle, the read scenarios and the bare "hello" server alike,
 * so their figures compare like with like: undici's `request` over keep-alive connections, timed from the
 * client, one sample per call. Not `fetch`: on this machine it spends ~0.19 ms of CPU per call against the
 * bare server (undici's `request` 0.045 ms), so with `fetch` the load generator took a sixth of the two
 * cores and capped the bare server at ~6,300 requests/s (docs/decisions/2026-11-21-bench-client.md).
 */
const agent = new Agent({ keepAliveTimeout: 30_000 });

/** What a timed call sends: method (GET), headers, and a body already serialised. */
export type CallInit = { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string | Buffer };

export type Sample<K extends string = string> = { kind: K; start: number; ms: number };

/** A call that did not answer with the expected status (or a network error: status 0). */
export class HttpError extends Error {
  constructor(
    readonly kind: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(`${kind}: HTTP ${status} ${code}`);
  }
}

export type Session = { cookie: string; csrf: string };

export async function login(base: string, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accountType: 'staff', username, password }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status} ${text}`);
  const jar: Record<string, string> = {};
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    jar[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (!jar.tb_session || !jar.tb_csrf) throw new Error(`login ${username}: no session cookie`);
  return {
    cookie: Object.entries(jar)
      .map(([k, v]) => `${k}=${v}`)
      .join('; '),
    csrf: jar.tb_csrf,
  };
}

/** One call with the benchmark's client: its status and body text. */
export async function send(url: string, init: CallInit = {}): Promise<{ status: number; text: string }> {
  const res = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    body: init.body ?? null,
    dispatcher: agent,
  });
  return { status: res.statusCode, text: await res.body.text() };
}

/** One timed call; a non-`expect` answer (or a network error) is an HttpError naming the call. */
export async function timed<T>(
  samples: Sample[],
  kind: string,
  url: string,
  init: CallInit,
  expect: number,
): Promise<T> {
  const start = performance.now();
  let status: number;
  let text: string;
  try {
    ({ status, text } = await send(url, init));
  } catch (err) {
    throw new HttpError(kind, 0, err instanceof Error ? err.message.slice(0, 60) : 'network');
  }
  const ms = performance.now() - start;
  if (status !== expect) {
    let code = 'unknown';
    try {
      const e = JSON.parse(text) as { error?: { code?: string; details?: { fields?: { rule?: string }[] } } };
      code = [e.error?.code, e.error?.details?.fields?.[0]?.rule].filter(Boolean).join('/');
    } catch {
      code = text.slice(0, 60);
    }
    throw new HttpError(kind, status, code);
  }
  samples.push({ kind, start, ms });
  return (text ? JSON.parse(text) : null) as T;
}

// Figures ------------------------------------------------------------------------------------------------

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

export type Stats = { n: number; p50: number; p95: number; p99: number; max: number };

export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(pct(s, 50)),
    p95: round(pct(s, 95)),
    p99: round(pct(s, 99)),
    max: round(s.at(-1) ?? 0),
  };
}

// A closed-loop load: C clients, each sending its next call as soon as the last one answered ----------------

export type DriveOptions = {
  clients: number;
  warmup: number;
  duration: number;
  /** One call (or a few) of client `client`; `seq` counts calls over all clients. */
  call: (samples: Sample[], client: number, seq: number) => Promise<void>;
  /** Give up after this many errors when they outnumber the calls (a broken scenario). */
  maxErrors?: number;
  /** Called every 250 ms in the measured window (RSS sampling). */
  onTick?: () => void;
};

export type DriveResult = {
  seconds: number;
  requestsPerSec: number;
  all: Stats;
  byCall: Record<string, Stats>;
  errors: { total: number; byKind: Record<string, number> };
};

export async function drive(opts: DriveOptions): Promise<DriveResult> {
  const samples: Sample[] = [];
  const errors: { key: string; at: number }[] = [];
  const t0 = performance.now();
  const measureFrom = t0 + opts.warmup * 1000;
  const stopAt = measureFrom + opts.duration * 1000;
  let seq = 0;
  const ticker = opts.onTick
    ? setInterval(() => {
        const now = performance.now();
        if (now >= measureFrom && now <= stopAt) opts.onTick?.();
      }, 250)
    : null;
  try {
    await Promise.all(
      Array.from({ length: opts.clients }, async (_, client) => {
        while (performance.now() < stopAt) {
          try {
            await opts.call(samples, client, seq++);
          } catch (err) {
            if (!(err instanceof HttpError)) throw err;
            errors.push({ key: `${err.kind} ${err.status} ${err.code}`, at: performance.now() });
            if (errors.length > (opts.maxErrors ?? 200) && errors.length > samples.length)
              throw new Error(`too many errors; last: ${err.message}`);
          }
        }
      }),
    );
  } finally {
    if (ticker) clearInterval(ticker);
  }
  const end = Math.min(performance.now(), stopAt);
  const seconds = (end - measureFrom) / 1000;
  const inWindow = samples.filter((s) => s.start >= measureFrom && s.start + s.ms <= end);
  const byKind: Record<string, number> = {};
  for (const e of errors.filter((x) => x.at >= measureFrom && x.at <= end))
    byKind[e.key] = (byKind[e.key] ?? 0) + 1;
  const kinds = [...new Set(inWindow.map((s) => s.kind))];
  return {
    seconds: round(seconds, 1),
    requestsPerSec: round(inWindow.length / seconds, 1),
    all: stats(inWindow.map((s) => s.ms)),
    byCall: Object.fromEntries(
      kinds.map((k) => [k, stats(inWindow.filter((s) => s.kind === k).map((s) => s.ms))]),
    ),
    errors: { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind },
  };
}
