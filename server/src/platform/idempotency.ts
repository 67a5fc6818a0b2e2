import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.js';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { actor: string; key: string } | null;
  }
}

const HEADER = 'idempotency-key';

/**
 * `Idempotency-Key` on creating POSTs: the first successful answer is stored per caller and key, and a
 * retry gets that answer back (with `idempotent-replayed: true`) instead of creating a second record.
 * Failed answers are not stored, so a corrected retry may reuse the key.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  const inFlight = new Set<string>();
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    const key = req.headers[HEADER];
    if (typeof key !== 'string' || key.length === 0) return;
    if (key.length > 200)
      throw new AppError('BAD_REQUEST', 'error.badRequest', { detail: 'Idempotency-Key > 200' });
    const actor = req.actor ? `${req.actor.type}:${req.actor.id}` : `anon:${req.ip}`;
    const path = req.url.split('?')[0];
    const stored = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('actor', '=', actor)
      .where('key', '=', key)
      .executeTakeFirst();
    if (stored) {
      if (stored.method !== req.method || stored.path !== path) {
        throw new AppError(
          'VALIDATION',
          'error.validation',
          {},
          {
            fields: [{ field: 'Idempotency-Key', rule: 'reused', key: 'error.idempotencyMismatch' }],
          },
        );
      }
      reply.header('idempotent-replayed', 'true');
      return reply.status(stored.status).send(stored.body);
    }
    const slot = `${actor}\u0000${key}`;
    if (inFlight.has(slot)) throw new AppError('IDEMPOTENCY_IN_PROGRESS', 'error.idempotencyInProgress');
    inFlight.add(slot);
    req.idempotency = { actor, key };
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const idem = req.idempotency;
    if (!idem) return payload;
    req.idempotency = null;
    const slot = `${idem.actor}\u0000${idem.key}`;
    try {
      if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
        await db
          .insertInto('idempotency_keys')
          .values({
            actor: idem.actor,
            key: idem.key,
            method: req.method,
            path: req.url.split('?')[0],
            status: reply.statusCode,
            body: payload.length > 0 ? payload : 'null',
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    } finally {
      inFlight.delete(slot);
    }
    return payload;
  });

  app.addHook('onResponse', async (req) => {
    if (req.idempotency) inFlight.delete(`${req.idempotency.actor}\u0000${req.idempotency.key}`);
  });
}
