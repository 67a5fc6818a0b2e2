import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { readDbOf } from '../../db/read.js';
import { AppError, fieldError, notFound } from '../../platform/errors.js';
import { inspectUpload, readUpload, sendStoredFile } from '../../platform/files/index.js';
import { requireActor } from '../../platform/policy.js';
import { pageOf, uuidSchema } from '../../platform/validation.js';
import { caseFileStore } from './files.js';
import { registerCaseJobs } from './jobs.js';
import * as s from './schema.js';
import * as svc from './service.js';
import type { CaseAction } from './state-machine.js';

/** Cases (办件): registration, the action endpoint, materials, documents and the public progress query. */
export function registerCaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerCaseJobs();
  const files = caseFileStore(ctx.config);
  const cctx: svc.CaseCtx = { db: ctx.db, config: ctx.config, files };
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['cases'];
  const maxBytes = ctx.config.UPLOAD_MAX_BYTES;
  app.register(fastifyMultipart, { limits: { fileSize: maxBytes + 1, files: 1, fields: 10 } });

  r.post(
    '/cases',
    {
      schema: {
        tags,
        summary: 'Register a case (预登记, 统一发号): online draft, window, proxy or API',
        body: s.createCase,
        response: { 201: s.caseDetail },
      },
    },
    async (req, reply) => {
      // The key goes into the registering transaction too: a retry after a node died mid-answer, or the
      // same key on two nodes at once, finds the one case (platform/idempotency.ts alone is per node).
      const idem = req.idempotency;
      const opts = idem ? { idempotencyKey: `${idem.actor} ${idem.key}` } : {};
      return reply.status(201).send(await svc.createCase(cctx, req.actor, req.body, opts));
    },
  );
  r.get(
    '/cases',
    {
      schema: {
        tags,
        summary: 'Cases the caller may see: inbox by role, department, own',
        querystring: s.caseList,
        response: { 200: pageOf(s.caseSummary) },
      },
    },
    (req) => svc.listCases(cctx, req.actor, req.query),
  );
  r.get(
    '/cases/:id',
    {
      schema: {
        tags,
        summary: 'One case with materials, timeline, documents and the actions allowed now',
        params: s.idParams,
        response: { 200: s.caseDetail },
      },
      config: { sessionWith: svc.sessionWithCase },
    },
    (req) => svc.getCaseDetail(cctx, req.actor, req.params.id, req.prefetched),
  );
  r.patch(
    '/cases/:id',
    {
      schema: {
        tags,
        summary: 'Save the form of a draft or returned case',
        params: s.idParams,
        body: s.updateDraft,
        response: { 200: s.caseDetail },
      },
    },
    (req) => svc.updateDraft(cctx, req.actor, req.params.id, req.body),
  );
  r.post(
    '/cases/:id/actions/:action',
    {
      schema: {
        tags,
        summary:
          'Take an action: submit, preReviewPass/Return, accept (容缺 with deferredMaterials), refuse, requestCorrection, supplyCorrection, completeOnSpot, pass, returnStep, approve, deny, approveOnCommitment, issue, deliver, suspend, resume, extend, terminate, withdraw',
        params: z.object({ id: uuidSchema, action: s.caseAction }),
        body: s.actionBody,
        response: { 200: s.caseDetail },
      },
      // The case is read with the session; the write re-checks its version and status.
      config: { sessionWith: svc.sessionWithCase },
    },
    (req) => {
      const action = req.params.action as CaseAction;
      if (action === 'autoAccept' || action === 'deemApprove')
        throw new AppError('FORBIDDEN', 'error.forbidden');
      return svc.act(cctx, req.actor, req.params.id, action, req.body, req.prefetched);
    },
  );

  r.post(
    '/cases/:id/claim',
    {
      schema: {
        tags,
        summary: 'Claim (认领) a case into your own queue',
        params: s.idParams,
        response: { 200: s.caseDetail },
      },
    },
    (req) => svc.claimCase(cctx, req.actor, req.params.id, false),
  );
  r.post(
    '/cases/:id/release',
    {
      schema: {
        tags,
        summary: 'Give a claimed case back to the department queue',
        params: s.idParams,
        response: { 200: s.caseDetail },
      },
    },
    (req) => svc.claimCase(cctx, req.actor, req.params.id, true),
  );

  r.post(
    '/cases/:id/materials/:materialId/file',
    {
      schema: {
        tags,
        summary:
          'Upload a material (multipart field "file": PDF, JPEG, PNG or OFD) or reuse one from the library ({libraryId})',
        params: s.materialParams,
        response: { 200: s.caseDetail },
      },
      // The case is read with the session, before the file arrives; the write re-checks the case's status.
      config: { sessionWith: svc.sessionWithCase },
    },
    async (req) => {
      const actor = requireActor(req.actor);
      /** The file: uploaded now (checked and stored), or one from the applicant's material library. */
      const file = async () => {
        if (req.isMultipart()) {
          const upload = await readUpload(req, { maxBytes });
          const checked = inspectUpload({ ...upload, maxBytes });
          const stored = await files.put(upload.bytes);
          return {
            sha256: stored.sha256,
            size: stored.size,
            name: upload.filename,
            kind: checked.kind,
            mime: checked.mime,
          };
        }
        const body = z.strictObject({ libraryId: uuidSchema }).safeParse(req.body);
        if (!body.success) throw fieldError('file', 'required', 'rule.required');
        if (actor.type !== 'applicant') throw new AppError('FORBIDDEN', 'error.forbidden');
        const entry = await ctx.db
          .selectFrom('applicant_materials as a')
          .innerJoin('files as f', 'f.sha256', 'a.file_sha256')
          .select(['a.file_sha256', 'a.file_name', 'a.kind', 'a.size', 'f.mime'])
          .where('a.id', '=', body.data.libraryId)
          .where('a.applicant_id', '=', actor.id)
          .executeTakeFirst();
        if (!entry) throw fieldError('libraryId', 'exists', 'rule.exists', { what: 'what.material' });
        return {
          sha256: entry.file_sha256,
          size: entry.size,
          name: entry.file_name,
          kind: entry.kind,
          mime: entry.mime,
        };
      };
      return svc.attachMaterial(
        cctx,
        actor,
        req.params.id,
        req.params.materialId,
        await file(),
        req.prefetched,
      );
    },
  );

  r.get(
    '/cases/:id/materials/:materialId/file',
    { schema: { tags, summary: 'Download an uploaded material', params: s.materialParams } },
    async (req, reply) => {
      await svc.getCaseDetail(cctx, req.actor, req.params.id);
      const m = await ctx.db
        .selectFrom('case_materials as m')
        .innerJoin('files as f', 'f.sha256', 'm.file_sha256')
        .select(['m.file_sha256', 'm.file_name', 'f.kind'])
        .where('m.id', '=', req.params.materialId)
        .where('m.case_id', '=', req.params.id)
        .executeTakeFirst();
      if (!m?.file_sha256) throw notFound('what.material');
      return sendStoredFile(reply, files, m.file_sha256, {
        filename: m.file_name ?? 'material',
        kind: m.kind as 'pdf',
      });
    },
  );

  r.get(
    '/cases/:id/documents/:docId',
    { schema: { tags, summary: 'A notice or decision of the case (PDF)', params: s.docParams } },
    async (req, reply) => {
      const d = await svc.documentFile(cctx, req.actor, req.params.id, req.params.docId);
      return sendStoredFile(reply, files, d.sha256, { filename: `${d.title}.pdf`, kind: 'pdf' });
    },
  );

  r.get(
    '/library',
    {
      schema: {
        tags,
        summary: "The applicant's material library (一次提供、多次使用)",
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                fileName: z.string(),
                kind: z.string(),
                size: z.number(),
                createdAt: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const actor = requireActor(req.actor);
      if (actor.type !== 'applicant') return { items: [] };
      const rows = await ctx.db
        .selectFrom('applicant_materials')
        .selectAll()
        .where('applicant_id', '=', actor.id)
        .orderBy('created_at', 'desc')
        .execute();
      return {
        items: rows.map((x) => ({
          id: x.id,
          name: x.name,
          fileName: x.file_name,
          kind: x.kind,
          size: x.size,
          createdAt: x.created_at.toISOString(),
        })),
      };
    },
  );

  r.get(
    '/public/progress',
    {
      schema: {
        tags: ['public'],
        summary:
          'Progress query without login: case number + last six characters of the ID/USCC or the mobile number',
        querystring: s.progressQuery,
        response: { 200: s.progressResult },
      },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    // A public read that tolerates lag: from the replica when there is one.
    (req) => svc.progress({ ...cctx, db: readDbOf(ctx) }, req.query.number, req.query.code),
  );
}
