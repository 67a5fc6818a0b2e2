import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { fieldError } from '../../platform/errors.js';
import { inspectUpload, readUpload } from '../../platform/files/index.js';
import { requireActor } from '../../platform/policy.js';
import { pageOf } from '../../platform/validation.js';
import { caseFileStore } from '../cases/files.js';
import type { CaseCtx } from '../cases/service.js';
import { registerJointJobs } from './jobs.js';
import * as p from './projects.js';
import * as s from './schema.js';
import * as svc from './service.js';
import * as tpl from './templates.js';

/**
 * Parallel approval (并联审批): templates and service packages (admin), joint cases (apply once, accept once,
 * combined corrections, the lead's board, one handover), and major-project tracking cards (重大项目代办).
 * Multipart upload is registered by the cases module on the same API scope.
 */
export function registerJointRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerJointJobs();
  const files = caseFileStore(ctx.config);
  const cctx: CaseCtx = { db: ctx.db, config: ctx.config, files };
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['joint'];
  const maxBytes = ctx.config.UPLOAD_MAX_BYTES;

  r.get(
    '/joint-templates',
    {
      schema: {
        tags,
        summary: 'Joint-approval templates and service packages (published ones are public)',
        querystring: s.templateList,
        response: { 200: pageOf(s.templateOut) },
      },
    },
    (req) => tpl.listTemplates(ctx.db, req.actor, req.query),
  );
  r.get(
    '/joint-templates/:code',
    {
      schema: {
        tags,
        summary: 'One template or package: members, merged form and its mapping, the one material set',
        params: z.object({ code: z.string().min(1).max(64) }),
        response: { 200: s.templateOut },
      },
    },
    (req) => tpl.getTemplate(ctx.db, req.params.code),
  );
  r.post(
    '/joint-templates',
    {
      schema: {
        tags,
        summary:
          'Create a template (并联审批) or package (一件事): every member published and at the level, no duplicates, every form field mapped',
        body: s.templateInput,
        response: { 201: s.templateOut },
      },
    },
    async (req, reply) => reply.status(201).send(await tpl.createTemplate(ctx.db, req.actor, req.body)),
  );
  r.put(
    '/joint-templates/:id',
    {
      schema: {
        tags,
        summary: 'Replace a template (new version); filed joint cases keep theirs',
        params: s.idParams,
        body: s.templateInput.extend({ version: z.number().int().min(1) }),
        response: { 200: s.templateOut },
      },
    },
    (req) => tpl.updateTemplate(ctx.db, req.actor, req.params.id, req.body),
  );

  r.post(
    '/joint-cases',
    {
      schema: {
        tags,
        summary: 'Apply once for a joint undertaking or a package: one number, one form, one material set',
        body: s.createJoint,
        response: { 201: s.jointDetail },
      },
    },
    async (req, reply) => reply.status(201).send(await svc.createJoint(cctx, req.actor, req.body)),
  );
  r.get(
    '/joint-cases',
    {
      schema: {
        tags,
        summary: 'Joint cases: mine, the lead department board, those with a sub-case of my department',
        querystring: s.jointList,
        response: { 200: pageOf(s.jointSummary) },
      },
    },
    (req) => svc.listJoint(cctx, req.actor, req.query),
  );
  r.get(
    '/joint-cases/:id',
    {
      schema: {
        tags,
        summary: 'One joint case: every member with its state, holder and lateness; corrections; figures',
        params: s.idParams,
        response: { 200: s.jointDetail },
      },
    },
    (req) => svc.getJoint(cctx, req.actor, req.params.id),
  );
  r.post(
    '/joint-cases/:id/materials/:materialId/file',
    {
      schema: {
        tags,
        summary: 'Upload one material of the joint set (multipart field "file"): used by every member',
        params: s.materialParams,
        response: { 200: s.jointDetail },
      },
    },
    async (req) => {
      const actor = requireActor(req.actor);
      if (!req.isMultipart()) throw fieldError('file', 'required', 'rule.required');
      const upload = await readUpload(req, { maxBytes });
      const checked = inspectUpload({ ...upload, maxBytes });
      const stored = await files.put(upload.bytes);
      return svc.attachJointMaterial(cctx, actor, req.params.id, req.params.materialId, {
        sha256: stored.sha256,
        size: stored.size,
        name: upload.filename,
        kind: checked.kind,
        mime: checked.mime,
      });
    },
  );
  r.post(
    '/joint-cases/:id/submit',
    {
      schema: {
        tags,
        summary: 'Submit: registers one sub-case per member item in one transaction',
        params: s.idParams,
        body: s.versionBody,
        response: { 200: s.jointDetail },
      },
    },
    (req) => svc.submitJoint(cctx, req.actor, req.params.id, req.body.version),
  );
  r.post(
    '/joint-cases/:id/accept',
    {
      schema: {
        tags,
        summary:
          'Accept once at the first window (首问启动): every sub-case accepted, every department copied',
        params: s.idParams,
        body: s.versionBody,
        response: { 200: s.jointDetail },
      },
    },
    (req) => svc.acceptJoint(cctx, req.actor, req.params.id, req.body.version),
  );
  r.post(
    '/joint-cases/:id/corrections',
    {
      schema: {
        tags,
        summary:
          'A member department asks for corrections on its sub-case: the sub-case pauses, the request joins the one combined notice',
        params: s.idParams,
        body: s.correctionBody,
        response: { 200: s.jointDetail },
      },
    },
    (req) => svc.requestJointCorrection(cctx, req.actor, req.params.id, req.body),
  );
  r.post(
    '/joint-cases/:id/supply',
    {
      schema: {
        tags,
        summary: 'Supply the combined correction once: every paused sub-case resumes',
        params: s.idParams,
        body: s.versionBody,
        response: { 200: s.jointDetail },
      },
    },
    (req) => svc.supplyJoint(cctx, req.actor, req.params.id, req.body.version),
  );
  r.post(
    '/joint-cases/:id/urge',
    {
      schema: {
        tags,
        summary: 'The lead department urges (督办) a member: recorded and notified',
        params: s.idParams,
        body: s.urgeBody,
        response: { 200: s.jointDetail },
      },
    },
    (req) => svc.urgeMember(cctx, req.actor, req.params.id, req.body),
  );
  r.post(
    '/joint-cases/:id/handover',
    {
      schema: {
        tags,
        summary: 'Hand every result over together (统一发证), or download them together (applicant)',
        params: s.idParams,
        body: s.handoverBody,
        response: { 200: s.jointDetail },
      },
    },
    (req) => svc.handoverJoint(cctx, req.actor, req.params.id, req.body),
  );

  r.post(
    '/projects',
    {
      schema: {
        tags,
        summary:
          'Register a major project: negative-list check, VIP above 50 million yuan with an agent and the green channel, a reverse-scheduled tracking card',
        body: s.projectInput,
        response: { 201: s.projectCard },
      },
    },
    async (req, reply) => reply.status(201).send(await p.createProject(ctx.db, req.actor, req.body)),
  );
  r.get(
    '/projects',
    {
      schema: {
        tags,
        summary: 'Projects: all the caller may see, or the agent’s own cards',
        querystring: s.projectList,
        response: { 200: pageOf(s.projectSummary) },
      },
    },
    (req) => p.listProjects(ctx.db, req.actor, req.query),
  );
  r.get(
    '/projects/:id',
    {
      schema: {
        tags,
        summary:
          'The tracking card (服务项目跟踪卡): approvals by stage, plan, progress, delays, contact notes',
        params: s.idParams,
        response: { 200: s.projectCard },
      },
    },
    (req) => p.getProject(ctx.db, req.actor, req.params.id),
  );
  r.post(
    '/projects/:id/notes',
    {
      schema: {
        tags,
        summary: 'Record a contact with the investor',
        params: s.idParams,
        body: s.noteInput,
        response: { 200: s.projectCard },
      },
    },
    (req) => p.addNote(ctx.db, req.actor, req.params.id, req.body),
  );
  r.post(
    '/projects/:id/approvals/:approvalId/link',
    {
      schema: {
        tags,
        summary: 'Link an approval of the card to the case (or joint case) filed for it, by number',
        params: s.approvalParams,
        body: s.linkInput,
        response: { 200: s.projectCard },
      },
    },
    (req) => p.linkApproval(ctx.db, req.actor, req.params.id, req.params.approvalId, req.body.number),
  );
  r.post(
    '/projects/:id/approvals/:approvalId/file',
    {
      schema: {
        tags,
        summary:
          'File the case of one approval on the project’s behalf (代办): registered and linked to the card in one transaction',
        params: s.approvalParams,
        body: s.fileApprovalInput,
        response: { 201: s.projectCard },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await p.fileApproval(ctx.db, req.actor, req.params.id, req.params.approvalId, req.body)),
  );
  r.put(
    '/projects/:id/plan',
    {
      schema: {
        tags,
        summary:
          'Change the target start or the approvals; the reverse-scheduled plan (倒排计时) is computed again',
        params: s.idParams,
        body: s.planInput,
        response: { 200: s.projectCard },
      },
    },
    (req) => p.changePlan(ctx.db, req.actor, req.params.id, req.body),
  );
}
