import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Db } from '../db/client.js';
import type { Actor } from './actor.js';
import { recordAudit } from './audit.js';
import {
  API_TOKEN_PREFIX,
  CSRF_HEADER,
  type ResolvedSession,
  resolveApiToken,
  resolveSession,
  SESSION_COOKIE,
} from './auth/sessions.js';
import { AppError, presentError } from './errors.js';
import { type Locale, pickLocale } from './i18n.js';
import { issueToFieldError } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    locale: Locale;
    /** Session token when the caller is authenticated by cookie (CSRF applies). */
    sessionToken: string | null;
    csrfToken: string | null;
    /** What the route's `sessionWith` read with the session (null without one); the handler checks it. */
    prefetched: unknown;
  }
  interface FastifyContextConfig {
    sessionWith?: SessionPrefetch;
  }
}

/**
 * A route may read the caller's session together with the row its handler reads first, in one statement
 * (`config.sessionWith`): given the cookie's token and the request (its params), it answers the session and
 * that row, or null to read the session alone (params that are not ids, say). The row lands on
 * `req.prefetched`, only when the session is valid; the handler still checks what the actor may see of it.
 */
export type SessionPrefetch = (
  db: Db,
  token: string,
  req: FastifyRequest,
) => Promise<{ session: ResolvedSession | null; data: unknown } | null>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Writes allowed without a session, so without a CSRF token to compare. */
const CSRF_EXEMPT = new Set(['/api/v1/auth/login', '/api/v1/auth/register']);

export function registerAuthHooks(app: FastifyInstance, db: Db): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('sessionToken', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('prefetched', null);

  app.addHook('onRequest', async (req) => {
    req.locale = pickLocale(req.headers['accept-language']);
    if (!req.url.startsWith('/api/')) return;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = auth.slice(7).trim();
      if (token.startsWith(API_TOKEN_PREFIX)) {
        req.actor = await resolveApiToken(db, token);
        if (!req.actor) throw new AppError('UNAUTHENTICATED', 'error.unauthenticated');
        return;
      }
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const withRow = req.routeOptions.config.sessionWith;
      const both = withRow ? await withRow(db, token, req) : null;
      const session = both ? both.session : await resolveSession(db, token);
      if (session) {
        req.actor = session.actor;
        req.sessionToken = token;
        req.csrfToken = session.csrfToken;
        req.prefetched = both?.data ?? null;
      }
    }
  });

  // Double-submit check: a cookie-authenticated write must echo the CSRF token in a header. It runs before
  // body validation, so a forged request learns nothing about the body it would need.
  app.addHook('preValidation', async (req) => {
    if (SAFE_METHODS.has(req.method) || !req.sessionToken) return;
    const path = req.url.split('?')[0];
    if (CSRF_EXEMPT.has(path)) return;
    const header = req.headers[CSRF_HEADER];
    if (typeof header !== 'string' || header !== req.csrfToken) {
      throw new AppError('CSRF', 'error.csrf');
    }
  });
}

function toAppError(err: unknown, log: FastifyBaseLogger): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext;
    const prefix = context === 'querystring' ? 'query' : context === 'params' ? 'params' : '';
    const fields = err.validation.map((issue) => issueToFieldError(issue, prefix));
    return new AppError('VALIDATION', 'error.validation', {}, { fields });
  }
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new AppError('PAYLOAD_TOO_LARGE', 'error.payloadTooLarge');
  if (e.statusCode === 429) return new AppError('RATE_LIMITED', 'error.rateLimited');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('BAD_REQUEST', 'error.badRequest', { detail: e.message ?? '' });
  }
  log.error({ err }, 'unexpected error');
  return new AppError('INTERNAL', 'error.internal');
}

export function registerErrorHandler(app: FastifyInstance, db: Db): void {
  app.setErrorHandler(async (err, req: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(err, req.log);
    if (appError.status === 403 && req.actor) {
      // Denials are audited, outside the failed request's (rolled back) transaction.
      try {
        const actor = req.actor;
        await db.transaction().execute((trx) =>
          recordAudit(trx, actor, {
            action: 'access.denied',
            targetType: 'route',
            targetId: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`,
            reason: appError.code,
          }),
        );
      } catch (auditErr) {
        req.log.error({ err: auditErr }, 'could not audit a denial');
      }
    }
    if (appError.code === 'RATE_LIMITED') reply.header('retry-after', '60');
    return reply.status(appError.status).send(presentError(appError, req.locale));
  });
}
