import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from './context.js';
import { ping } from './db/client.js';
import { registerAccessRoutes } from './modules/access/routes.js';
import { registerAuditRoutes } from './modules/audit/routes.js';
import { registerAuthRoutes } from './modules/auth/routes.js';
import { registerCalendarRoutes } from './modules/calendar/routes.js';
import { registerCaseRoutes } from './modules/cases/routes.js';
import { registerCatalogRoutes } from './modules/catalog/routes.js';
import { registerJointRoutes } from './modules/joint/routes.js';
import { registerMessageRoutes } from './modules/messages/routes.js';
import { registerOrgRoutes } from './modules/org/routes.js';
import { registerSupervisionRoutes } from './modules/supervision/routes.js';
import { AppError, presentError } from './platform/errors.js';
import { registerAuthHooks, registerErrorHandler } from './platform/http.js';
import { registerIdempotency } from './platform/idempotency.js';
import { registerMetrics } from './platform/metrics.js';
import { rateLimitStore } from './platform/rate-limit.js';
import { registerReplicaMetrics } from './platform/replica-metrics.js';

export type BuildOptions = {
  logLevel?: string;
  webDist?: string;
  /** Where log lines go (default stdout); tests read them to prove no personal data is logged. */
  logStream?: NodeJS.WritableStream;
};

/** Paths whose query strings may carry personal data: logged without the query. */
function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}

export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? ctx.config.LOG_LEVEL,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
        remove: true,
      },
      serializers: {
        req: (req) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
      },
    },
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  const store = rateLimitStore(ctx.db, ctx.config);
  await app.register(fastifyRateLimit, { global: false, ...(store ? { store } : {}) });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Tongban 通办 API',
        description:
          'Integrated government-service platform. Cookie sessions (send `x-csrf-token` on writes) or ' +
          '`Authorization: Bearer tbk_…` department API tokens. Errors: `{error:{code,message,details}}`.',
        version: '1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tb_session' },
          apiToken: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const metrics = registerMetrics(app, ctx.db);
  ctx.metrics = metrics;
  if (ctx.readDb && ctx.readDb !== ctx.db) registerReplicaMetrics(metrics, ctx.db, ctx.readDb);
  registerAuthHooks(app, ctx.db);
  registerIdempotency(app, ctx.db);
  registerErrorHandler(app, ctx.db);

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await ping(ctx.db);
      return { status: 'ready', engine: ctx.db.engine };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      registerAuthRoutes(api, ctx);
      registerOrgRoutes(api, ctx);
      registerAccessRoutes(api, ctx);
      registerCalendarRoutes(api, ctx);
      registerCaseRoutes(api, ctx);
      registerAuditRoutes(api, ctx);
      registerMessageRoutes(api, ctx);
      registerCatalogRoutes(api, ctx);
      registerJointRoutes(api, ctx);
      registerSupervisionRoutes(api, ctx);
    },
    { prefix: '/api/v1' },
  );

  const webDist = resolve(opts.webDist ?? ctx.config.WEB_DIST);
  const hasWeb = existsSync(resolve(webDist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0];
    if (path.startsWith('/api/') || !hasWeb || req.method !== 'GET') {
      return reply
        .status(404)
        .send(presentError(new AppError('NOT_FOUND', 'error.routeNotFound'), req.locale));
    }
    // The web app routes on the client: every other GET gets its shell.
    return reply.type('text/html').sendFile('index.html');
  });

  return app;
}
