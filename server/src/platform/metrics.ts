import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import { type Db, statementsSent } from '../db/client.js';
import { clusterMetrics } from './cluster-metrics.js';

/**
 * Prometheus metrics: process defaults, request counts and durations by route and status, and on PostgreSQL
 * `tongban_db_statements_total`, the statements sent to the primary (each a round trip).
 */
export function registerMetrics(app: FastifyInstance, db?: Db): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'tongban_' });
  const duration = new client.Histogram({
    name: 'tongban_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  if (db && statementsSent(db) !== null) {
    let reported = 0;
    new client.Counter({
      name: 'tongban_db_statements_total',
      help: 'SQL statements sent to the primary database, BEGIN and COMMIT included',
      registers: [registry],
      collect() {
        const n = statementsSent(db) ?? 0;
        this.inc(n - reported);
        reported = n;
      },
    });
  }
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  const summed = clusterMetrics(registry);
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return summed ? summed() : registry.metrics();
  });
  return registry;
}
