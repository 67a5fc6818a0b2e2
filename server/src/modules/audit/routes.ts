import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { AppError } from '../../platform/errors.js';
import { paginate } from '../../platform/paging.js';
import { isSysAdmin, requireRole, visibleRegions } from '../../platform/policy.js';
import { pageOf, pageQuery } from '../../platform/validation.js';
import { regionPrefix } from '../../platform/validators/index.js';

const auditItem = z.object({
  id: z.number(),
  at: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  actorRole: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  regionCode: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string().nullable(),
  viaBackupOf: z.string().nullable(),
});

const auditQuery = pageQuery.extend({
  targetType: z.string().max(40).optional(),
  targetId: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  action: z.string().max(60).optional(),
});

/** The audit trail, read-only: administrators and supervisors of a region see its rows. */
export function registerAuditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log (hash-chained)',
        querystring: auditQuery,
        response: { 200: pageOf(auditItem) },
      },
    },
    async (req) => {
      const actor = requireRole(req.actor, ['hall_admin', 'supervisor']);
      let q = ctx.db.selectFrom('audit_log').selectAll();
      if (!isSysAdmin(actor)) {
        const prefixes = (visibleRegions(actor, ['hall_admin', 'supervisor']) ?? []).map(regionPrefix);
        if (prefixes.length === 0) throw new AppError('FORBIDDEN', 'error.forbiddenRegion');
        q = q.where((eb) => eb.or(prefixes.map((p) => eb('region_code', 'like', `${p}%`))));
      }
      const { targetType, targetId, actorId, action } = req.query;
      if (targetType) q = q.where('target_type', '=', targetType);
      if (targetId) q = q.where('target_id', '=', targetId);
      if (actorId) q = q.where('actor_id', '=', actorId);
      if (action) q = q.where('action', '=', action);
      const page = await paginate(q, req.query, (p) => p.orderBy('id', 'desc').execute());
      return {
        ...page,
        items: page.items.map((a) => ({
          id: a.id,
          at: a.at.toISOString(),
          actorType: a.actor_type,
          actorId: a.actor_id,
          actorName: a.actor_name,
          actorRole: a.actor_role,
          action: a.action,
          targetType: a.target_type,
          targetId: a.target_id,
          regionCode: a.region_code,
          before: a.before,
          after: a.after,
          reason: a.reason,
          viaBackupOf: a.via_backup_of,
        })),
      };
    },
  );
}
