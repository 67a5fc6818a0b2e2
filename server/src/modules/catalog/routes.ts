import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { readDbOf } from '../../db/read.js';
import { AppError, presentError } from '../../platform/errors.js';
import { issueToFieldError, pageOf } from '../../platform/validation.js';
import { createCatalogCache, registerCatalogCacheMetrics } from './cache.js';
import { exportCsv, exportWorkbook, parseSheetKeys, XLSX_TYPE } from './export.js';
import { downloadFile, uploadFile } from './files.js';
import { itemGuide } from './guide.js';
import { importCatalog, importRejected } from './import.js';
import { listDefs } from './lists.js';
import * as q from './queries.js';
import * as s from './schema.js';
import { searchItems, themes } from './search.js';
import * as v from './versions.js';
import type { SheetKey } from './workbook.js';

/** Sheets exported for one list: an item comes with its materials, steps and questions. */
const sheetsOf: Record<string, SheetKey[]> = {
  item: ['items', 'materials', 'steps', 'faq'],
  power: ['powers'],
  fee: ['fees'],
  fund: ['funds'],
  negative: ['negative'],
  permission: ['permission'],
  supervision: ['supervision'],
  intermediary: ['intermediaries'],
};

const IMPORT_LIMIT = 30 * 1024 * 1024;

function sendFile(reply: FastifyReply, bytes: Buffer, name: string, type: string) {
  return reply
    .header('content-type', type)
    .header(
      'content-disposition',
      `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .send(bytes);
}

/**
 * The service catalog under /api/v1/catalog: the eight lists (read publicly, kept by administrators), versions
 * and their diff, item search and guides, files, import and export.
 */
export function registerCatalogRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.register(async (plugin) => {
    // The importer takes the workbook as the raw request body too.
    plugin.addContentTypeParser(
      XLSX_TYPE,
      { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT },
      (_req, body, done) => done(null, body),
    );
    catalogRoutes(plugin, ctx);
  });
}

function catalogRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;
  // Public reads may come from a replica; the cache keys its answers by the replica's own catalog generation,
  // so an answer is never newer-keyed than the data it was computed from.
  const readDb = readDbOf(ctx);
  const cctx: v.CatalogCtx = { db, homeRegion: ctx.config.HOME_REGION };
  // Public answers come from the cache; a write through this node makes the next read check the generation.
  const cache = createCatalogCache(() => q.generation(readDb), {
    maxBytes: ctx.config.CATALOG_CACHE_MB * 1024 * 1024,
  });
  if (ctx.metrics) registerCatalogCacheMetrics(ctx.metrics, cache);
  const write = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } finally {
      cache.invalidate();
    }
  };
  const common = ['catalog'];

  r.get(
    '/catalog/search',
    {
      schema: {
        tags: common,
        summary: 'Search the service items in effect (public; Chinese, partial and misspelt words)',
        querystring: s.searchQuery,
        response: { 200: s.searchResult },
      },
    },
    (req) => cache.get(req.url, () => searchItems(readDb, req.query)),
  );
  r.get(
    '/catalog/themes',
    {
      schema: {
        tags: common,
        summary: 'Life events and enterprise stages with their item counts (public)',
        response: { 200: s.themeCounts },
      },
    },
    (req) => cache.get(req.url, () => themes(readDb)),
  );
  r.get(
    '/catalog/items/:code/guide',
    {
      schema: {
        tags: common,
        summary: 'The item guide 办事指南: conditions, materials, limits, fees, flowchart, place (public)',
        params: s.entryParams,
        querystring: s.guideQuery,
        response: { 200: s.guide },
      },
    },
    (req) =>
      req.query.versionId
        ? itemGuide(db, req.actor, req.params.code, req.query.versionId, req.locale)
        : cache.get(`${req.url}|${req.locale}`, () =>
            itemGuide(readDb, req.actor, req.params.code, undefined, req.locale),
          ),
  );

  r.get(
    '/catalog/versions/:id',
    {
      schema: {
        tags: common,
        summary: 'One version by id — what a case records (public when published)',
        params: s.idParams,
        response: { 200: s.anyVersion },
      },
    },
    (req) => v.getVersion(db, req.actor, req.params.id),
  );
  r.get(
    '/catalog/versions/:id/diff',
    {
      schema: {
        tags: common,
        summary: 'Field-by-field changes against another version of the entry (default: the one before)',
        params: s.idParams,
        querystring: s.diffQuery,
        response: { 200: s.diffResult },
      },
    },
    (req) => v.diffVersions(db, req.actor, req.params.id, req.query.against),
  );
  r.post(
    '/catalog/versions/:id/publish',
    {
      schema: {
        tags: common,
        summary: 'Publish a draft (it takes effect on its effective date)',
        params: s.idParams,
        response: { 200: s.anyVersion },
      },
    },
    (req) => write(() => v.publishVersion(cctx, req.actor, req.params.id)),
  );

  r.post(
    '/catalog/files',
    {
      bodyLimit: 12 * 1024 * 1024,
      schema: {
        tags: common,
        summary: 'Upload a blank form or sample (base64)',
        body: s.uploadFile,
        response: { 201: s.fileInfo },
      },
    },
    async (req, reply) => reply.status(201).send(await uploadFile(db, req.actor, req.body)),
  );
  r.get(
    '/catalog/files/:id',
    { schema: { tags: common, summary: 'Download a blank form or sample (public)', params: s.idParams } },
    async (req, reply) => {
      const f = await downloadFile(db, req.params.id);
      reply.header('etag', `"${f.sha256}"`).header('cache-control', 'public, max-age=86400');
      return sendFile(reply, f.bytes, f.name, f.content_type);
    },
  );

  r.get(
    '/catalog/import/template',
    {
      schema: {
        tags: common,
        summary:
          'The import template (.xlsx): every sheet with its headers, and a sheet explaining each column',
      },
    },
    async (_req, reply) =>
      sendFile(reply, await exportWorkbook(db, { template: true }), 'catalog-template.xlsx', XLSX_TYPE),
  );
  r.get(
    '/catalog/export',
    {
      schema: {
        tags: common,
        summary: 'Export the lists in effect (.xlsx, all or some sheets; CSV one sheet) — public',
        querystring: s.exportQuery,
      },
    },
    async (req, reply) => {
      const keys = parseSheetKeys(req.query.lists);
      if (req.query.format === 'csv') {
        if (keys.length !== 1)
          throw new AppError(
            'VALIDATION',
            'error.validation',
            {},
            { fields: [{ field: 'query.lists', rule: 'single', key: 'rule.csvOneSheet' }] },
          );
        return sendFile(
          reply,
          await exportCsv(db, keys[0]),
          `catalog-${keys[0]}.csv`,
          'text/csv; charset=utf-8',
        );
      }
      return sendFile(reply, await exportWorkbook(db, { sheets: keys }), 'catalog.xlsx', XLSX_TYPE);
    },
  );
  r.post(
    '/catalog/import',
    {
      bodyLimit: IMPORT_LIMIT,
      schema: {
        tags: common,
        summary: 'Import a workbook: all or nothing, every error listed by sheet/row/column',
        description:
          `Send the .xlsx as the raw body (Content-Type: ${XLSX_TYPE}) or as JSON \`{ fileBase64, fileName? }\`. ` +
          'A rejected workbook is a 400 whose `details.errors` lists every problem. With `?stream=true` or ' +
          '`Accept: application/x-ndjson` the answer is NDJSON: `{"type":"progress",phase,done,total}` lines, then ' +
          '`{"type":"result",report}` or `{"type":"error",error}`.',
        querystring: s.importQuery,
      },
    },
    async (req, reply) => {
      let bytes: Buffer;
      let fileName: string | undefined;
      if (Buffer.isBuffer(req.body)) {
        bytes = req.body;
        const header = req.headers['x-file-name'];
        fileName = typeof header === 'string' ? decodeURIComponent(header) : undefined;
      } else {
        const parsed = s.importJson.safeParse(req.body ?? {});
        if (!parsed.success) {
          throw new AppError(
            'VALIDATION',
            'error.validation',
            {},
            {
              fields: parsed.error.issues.map((i) =>
                issueToFieldError({
                  code: i.code,
                  path: i.path,
                  message: i.message,
                  params: i as unknown as Record<string, unknown>,
                }),
              ),
            },
          );
        }
        bytes = Buffer.from(parsed.data.fileBase64, 'base64');
        fileName = parsed.data.fileName;
      }
      const opts = {
        dryRun: req.query.dryRun,
        fileName,
        homeRegion: ctx.config.HOME_REGION,
        locale: req.locale,
      };
      const wantsStream = req.query.stream || (req.headers.accept ?? '').includes('application/x-ndjson');
      if (!wantsStream) {
        const report = await write(() => importCatalog(db, req.actor, bytes, opts));
        if (!report.ok) throw importRejected(report);
        return reply.status(report.dryRun ? 200 : 201).send(report);
      }
      const stream = new PassThrough();
      const line = (o: unknown) => stream.write(`${JSON.stringify(o)}\n`);
      reply.header('content-type', 'application/x-ndjson; charset=utf-8').send(stream);
      importCatalog(db, req.actor, bytes, { ...opts, onProgress: (p) => line({ type: 'progress', ...p }) })
        .then(
          (report) => line({ type: 'result', report }),
          (err: unknown) => {
            const appError = err instanceof AppError ? err : new AppError('INTERNAL', 'error.internal');
            if (!(err instanceof AppError)) req.log.error({ err }, 'catalog import failed');
            line({ type: 'error', status: appError.status, ...presentError(appError, req.locale) });
          },
        )
        .finally(() => {
          cache.invalidate();
          stream.end();
        });
      return reply;
    },
  );

  for (const def of Object.values(listDefs)) {
    const base = `/catalog/${def.path}`;
    const tags = [def.tag];
    const version = s.versionOf(def.schema);
    r.get(
      base,
      {
        schema: {
          tags,
          summary:
            'List the entries in effect (public), or every newest version (state=latest, administrators)',
          querystring: s.listQuery,
          response: { 200: pageOf(s.listRow) },
        },
      },
      (req) =>
        req.query.state === 'current'
          ? cache.get(req.url, () => v.listEntries(db, req.actor, def.kind, req.query))
          : v.listEntries(db, req.actor, def.kind, req.query),
    );
    r.get(
      `${base}/export`,
      {
        schema: {
          tags,
          summary: 'Export this list as .xlsx or CSV (public)',
          querystring: s.listExportQuery,
        },
      },
      async (req, reply) => {
        const keys = sheetsOf[def.kind];
        if (req.query.format === 'csv')
          return sendFile(reply, await exportCsv(db, keys[0]), `${def.path}.csv`, 'text/csv; charset=utf-8');
        return sendFile(reply, await exportWorkbook(db, { sheets: keys }), `${def.path}.xlsx`, XLSX_TYPE);
      },
    );
    r.post(
      `${base}/validate`,
      {
        schema: {
          tags,
          summary: 'Check an entry against every rule without saving (live validation for the editor)',
          body: z.record(z.string(), z.unknown()),
          response: { 200: s.validateResult },
        },
      },
      (req) => v.validateEntry(db, req.actor, def, req.body, req.locale),
    );
    r.post(
      base,
      {
        schema: {
          tags,
          summary: '立: create an entry (a draft, or published with publish=true)',
          body: s.createBody(def.schema),
          response: { 201: version },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(
            await write(() => v.createEntry(cctx, req.actor, def.kind, req.body as Record<string, unknown>)),
          ),
    );
    r.get(
      `${base}/:code`,
      {
        schema: {
          tags,
          summary: 'One entry: the version in effect (public) or the newest (version=latest)',
          params: s.entryParams,
          querystring: s.entryQuery,
          response: { 200: version },
        },
      },
      (req) =>
        req.query.version === 'current'
          ? cache.get(req.url, () => v.getEntry(db, req.actor, def.kind, req.params.code, 'current'))
          : v.getEntry(db, req.actor, def.kind, req.params.code, req.query.version),
    );
    r.get(
      `${base}/:code/versions`,
      {
        schema: {
          tags,
          summary: 'History: every published version (administrators also see drafts)',
          params: s.entryParams,
          response: { 200: s.history },
        },
      },
      (req) => v.getHistory(db, req.actor, def.kind, req.params.code),
    );
    r.post(
      `${base}/:code/versions`,
      {
        schema: {
          tags,
          summary: '改/释: a new version with the full entry',
          params: s.entryParams,
          body: s.amendBody(def.schema),
          response: { 201: version },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(
            await write(() =>
              v.amendEntry(cctx, req.actor, def.kind, req.params.code, req.body as Record<string, unknown>),
            ),
          ),
    );
    r.post(
      `${base}/:code/repeal`,
      {
        schema: {
          tags,
          summary: '废: repeal (a new version; the entry stays readable in history)',
          params: s.entryParams,
          body: s.repealBody,
          response: { 201: version },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await write(() => v.repealEntry(cctx, req.actor, def.kind, req.params.code, req.body))),
    );
  }
}
