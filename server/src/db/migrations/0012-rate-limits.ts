import type { Migration } from '../migrate.js';

/**
 * Request counters of the rate limits (login, registration, public progress query), shared by every server
 * node on one PostgreSQL: a limit of 20 a minute stays 20 with two nodes behind nginx or several workers
 * (platform/rate-limit.ts). One row per limited route and address; UNLOGGED because a counter lost in a crash
 * only lets an address start its minute again, and WAL for it would cost every limited request.
 */
export const rateLimits: Migration = {
  name: '0012-rate-limits',
  statements: [
    `CREATE UNLOGGED TABLE rate_limits (
      key text PRIMARY KEY,
      hits integer NOT NULL,
      reset_at timestamptz NOT NULL
    )`,
  ],
};
