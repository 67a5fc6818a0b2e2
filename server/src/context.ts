import type client from 'prom-client';
import type { Config } from './config.js';
import type { Db } from './db/client.js';

/** What every module's routes get: the database and the parsed configuration. */
export type AppContext = {
  db: Db;
  config: Config;
  /** Lag-tolerant reads (a streaming replica when configured); read it with `readDbOf(ctx)` (db/read.ts). */
  readDb?: Db;
  /** The /metrics registry, for modules that report their own figures (set by buildApp before the routes). */
  metrics?: client.Registry;
};
