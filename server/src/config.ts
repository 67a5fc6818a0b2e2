import { z } from 'zod';

/**
 * The environment, parsed once at start. A bad value stops the process with a message that names the
 * variable, so an operator never finds out about a typo from a stack trace later.
 */
const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL connection string; when empty the embedded PGlite engine is used. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * A streaming replica of DATABASE_URL for reads that tolerate lag (public catalog and guides, public
   * progress query, statistics); empty: those read the primary. Its lag is in /metrics.
   */
  READ_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * Send the small hot statements as named prepared statements (parsed and planned once per connection; on
   * PGlite once per instance). Turn off behind a connection pooler in transaction mode that does not track prepared statements.
   */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Folder of the embedded PGlite database (ignored when DATABASE_URL is set); "memory" keeps nothing. */
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Secure cookies need HTTPS; turn on behind a TLS-terminating proxy. */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** Failed logins in a row before an account is locked. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Login attempts per minute from one address. */
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10000).default(20),
  /**
   * Where rate-limit counters live: `database` (shared by every node and worker on one PostgreSQL), `memory`
   * (this process only), `auto` (database on PostgreSQL, memory on PGlite, which is one process anyway).
   */
  RATE_LIMIT_STORE: z.enum(['auto', 'database', 'memory']).default('auto'),
  /** Load the demo organisation on first start when the database is empty. */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  WEB_DIST: z.string().min(1).default('./web/dist'),
  /** Region code of the deployment's top region, used as the default calendar region. */
  HOME_REGION: z
    .string()
    .regex(/^\d{6}$/, 'must be a 6-digit region code')
    .default('410103'),
  /** Run background jobs (outbox dispatch, notification delivery, deadline sweeps) in this process. */
  JOBS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** How often a node looks for due work when nothing woke it (commits wake it at once). */
  JOBS_POLL_SECONDS: z.coerce.number().min(0.1).max(3600).default(5),
  /** `outbox` only records what would be sent (demo: the SMS outbox page); `http` posts to SMS_GATEWAY_URL. */
  SMS_PROVIDER: z.enum(['outbox', 'http']).default('outbox'),
  SMS_GATEWAY_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SMS_API_KEY: z.string().default(''),
  /** smtp://user:pass@host:port or smtps://…; empty turns e-mail off. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().min(3).default('Tongban 通办 <noreply@tongban.local>'),
  /** Attempts per SMS or e-mail before it is marked failed; waits double from NOTIFY_RETRY_SECONDS. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
  NOTIFY_RETRY_SECONDS: z.coerce.number().int().min(1).max(86400).default(30),
  /** Largest upload accepted (bytes); a larger one is a 413 naming the field. */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(200 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  /** PGlite's buffer pool inside the server's memory (PostgreSQL ignores it; db/client.ts). */
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^[1-9]\d{0,5}(kB|MB|GB)$/, 'must be a size such as 32MB')
    .default('32MB'),
  /**
   * Server processes sharing the port (`auto`: one per CPU core; cluster.ts). More than one needs PostgreSQL:
   * the embedded PGlite belongs to one process, and `auto` on PGlite is 1.
   */
  WORKERS: z
    .string()
    .regex(/^(auto|[1-9]\d?)$/, 'must be auto or a number from 1 to 99')
    .default('1'),
  /**
   * How far the JavaScript heap may grow past its live objects before a full collection, in per cent; 0 is
   * V8's own choice (up to 300 %), `auto` is 30 on PGlite and 100 on PostgreSQL (platform/heap.ts).
   */
  HEAP_GROWTH_PERCENT: z
    .string()
    .regex(/^(auto|\d{1,3})$/, 'must be auto or a number from 0 to 999')
    .default('auto'),
  /** Memory for public catalog answers kept per node (MiB; modules/catalog/cache.ts). */
  CATALOG_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(32),
  /** The address applicants reach the portal at, for links in messages. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://localhost:8080')
    .transform((u) => u.replace(/\/+$/, '')),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration / 配置错误:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
