import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { registerPeriodic } from './jobs/index.js';

type Counted = { current: number; ttl: number };
type Done = (error: Error | null, result?: Counted) => void;

/**
 * Rate-limit counters in PostgreSQL (table rate_limits, migration 0012), so that every node and worker on one
 * database counts the same requests: with the in-memory store each process counts only what reaches it, and
 * two nodes behind nginx would let an address try twice the passwords a minute. One statement per limited
 * request: the counter row of the route and address is created, restarted when its window has passed, or
 * counted up, and its hits and the milliseconds left in the window come back.
 */
export function databaseRateLimitStore(db: Db) {
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    private readonly prefix: string;

    constructor(_options?: FastifyRateLimitOptions, prefix = '') {
      this.prefix = prefix;
    }

    incr(key: string, done: Done, timeWindow?: number, _max?: number): void {
      const window = Math.max(1, Math.round(timeWindow ?? 60_000));
      sql<{ hits: number; ttl: number }>`
        INSERT INTO rate_limits AS r (key, hits, reset_at)
        VALUES (${this.prefix + key}, 1, now() + ${window} * interval '1 millisecond')
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN r.reset_at <= now() THEN 1 ELSE r.hits + 1 END,
          reset_at = CASE WHEN r.reset_at <= now() THEN excluded.reset_at ELSE r.reset_at END
        RETURNING r.hits, greatest(0, ceil(extract(epoch FROM r.reset_at - now()) * 1000))::int AS ttl`
        .execute(db)
        .then(
          (res) => {
            const row = res.rows[0];
            done(null, { current: Number(row?.hits ?? 1), ttl: Number(row?.ttl ?? window) });
          },
          (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
        );
    }

    /** A route's own counters: its method and URL pattern prefix the key, as the plugin's Redis store does. */
    child(routeOptions: object): FastifyRateLimitStore {
      const info = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new DatabaseRateLimitStore(
        undefined,
        `${String(info?.method ?? '')}${String(info?.url ?? '')}-`,
      );
    }
  };
}

/** The store the configuration asks for: undefined means the plugin's in-memory store. */
export function rateLimitStore(db: Db, config: Pick<Config, 'RATE_LIMIT_STORE'>) {
  const shared =
    config.RATE_LIMIT_STORE === 'database' ||
    (config.RATE_LIMIT_STORE === 'auto' && db.engine === 'postgres');
  return shared ? databaseRateLimitStore(db) : undefined;
}

/** Windows are a minute long; a counter whose window ended a while ago is only a row to skip. */
registerPeriodic('platform.rate-limits-cleanup', 600, async (ctx) => {
  const res = await sql`DELETE FROM rate_limits WHERE reset_at < now() - interval '10 minutes'`.execute(
    ctx.db,
  );
  return Number(res.numAffectedRows ?? 0);
});
