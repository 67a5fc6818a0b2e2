import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { canonicalJson, recordAudit } from '../../platform/audit.js';
import { today } from '../../platform/clock.js';
import { AppError, type FieldError, fieldError } from '../../platform/errors.js';
import { type Locale, translate } from '../../platform/i18n.js';
import { issueToFieldError } from '../../platform/validation.js';
import { type BulkAmendment, type BulkEntry, bulkAmend, bulkCreate } from './bulk.js';
import { type DeptInfo, listDefs, project } from './lists.js';
import { canAdministerCatalog, catalogAdminPrefixes } from './policy.js';
import { dataIssues, referenceIssues, referencesOf } from './quality.js';
import * as q from './queries.js';
import type * as s from './schema.js';
import type { ListKind } from './vocab.js';
import {
  type Column,
  columnLetter,
  isMetaField,
  readCell,
  type SheetDef,
  setPath,
  sheetByName,
} from './workbook.js';

/**
 * Import of a catalog workbook (docs/catalog-import.md): every row of every sheet is read and checked
 * against the same rules as a save through the API, every problem is reported with its sheet, row and
 * column, and only a workbook without a single problem is written — in one transaction.
 * A row whose code is new creates an entry; a known code adds a version when its data changed.
 */

export type ImportProgress = { phase: 'read' | 'validate' | 'write'; done: number; total: number };
export type ImportOptions = {
  dryRun?: boolean;
  fileName?: string;
  homeRegion: string;
  locale?: Locale;
  onProgress?: (p: ImportProgress) => void;
};
export type ImportReport = z.output<typeof s.importReport>;
type ImportErrorOut = z.output<typeof s.importError>;

type ChildKey = 'materials' | 'steps' | 'faq';
type ChildRow = {
  sheet: SheetDef;
  row: number;
  order: number | undefined;
  data: Record<string, unknown>;
  cols: Map<string, number>;
};
type Meta = { status: 'published' | 'draft'; effectiveFrom?: string; reason?: string };
type Parsed = {
  sheet: SheetDef;
  kind: ListKind;
  code: string;
  row: number;
  cols: Map<string, number>;
  data: Record<string, unknown>;
  meta: Meta;
  children: Record<ChildKey, ChildRow[]>;
  /** Set once the data passes the schema. */
  valid?: s.EntryData;
};

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('result' in v)
      return v.result === undefined || v.result === null
        ? ''
        : String(v.result instanceof Date ? v.result.toISOString().slice(0, 10) : v.result);
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v);
}

export async function readWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw fieldError('file', 'xlsx', 'rule.importFile');
  }
  return wb;
}

export async function importCatalog(
  db: Db,
  actor: Actor | null,
  bytes: Uint8Array,
  opts: ImportOptions,
): Promise<ImportReport> {
  catalogAdminPrefixes(actor);
  const author = actor as Actor;
  const locale = opts.locale ?? 'zh-CN';
  const progress = opts.onProgress ?? (() => {});
  const errors: ImportErrorOut[] = [];
  const failedCells = new Set<string>();
  const fail = (
    sheet: SheetDef | string,
    row: number,
    col: number,
    f: Omit<FieldError, 'field'> & { field?: string },
  ) => {
    const sheetName = typeof sheet === 'string' ? sheet : sheet.name;
    // One message per cell: a value that could not be read is not reported again as missing or invalid.
    const cell = `${sheetName}!${row}:${col}`;
    if (col >= 1 && failedCells.has(cell)) return;
    failedCells.add(cell);
    const header = typeof sheet === 'string' || col < 1 ? '' : (headerAt.get(`${sheetName}:${col}`) ?? '');
    errors.push({
      sheet: sheetName,
      row,
      column: col >= 1 ? columnLetter(col - 1) : '',
      header,
      field: f.field ?? '',
      rule: f.rule,
      message: translate(locale, f.key, { field: f.field ?? header, ...f.params }),
    });
  };
  const headerAt = new Map<string, string>();

  const wb = await readWorkbook(bytes);
  const depts = await q.allDepartments(db);
  const resolveDept = deptResolver(depts);
  const deptById = new Map(depts.map((d) => [d.id, d]));

  // Read every known sheet into rows ------------------------------------------------------------------
  const bySheet: Record<string, number> = {};
  const entries: Parsed[] = [];
  const children: { key: ChildKey; itemCode: string; codeCol: number; child: ChildRow }[] = [];
  let known = 0;
  const totalRows = wb.worksheets.reduce(
    (n, ws) => n + (sheetByName(ws.name) ? Math.max(0, ws.actualRowCount - 1) : 0),
    0,
  );
  let readRows = 0;
  for (const ws of wb.worksheets) {
    const def = sheetByName(ws.name);
    if (!def) continue;
    known += 1;
    const cols = new Map<string, number>();
    const header = ws.getRow(1);
    header.eachCell((cell, colNumber) => {
      const text = cellText(cell).replace(/\s+/g, '');
      const col = def.columns.find((c) => c.header.replace(/\s+/g, '') === text || c.field === text);
      headerAt.set(`${def.name}:${colNumber}`, cellText(cell).trim());
      if (col) cols.set(col.field, colNumber);
    });
    for (const c of def.columns) {
      if (c.required && !cols.has(c.field)) {
        fail(def, 1, -1, { rule: 'importHeader', key: 'rule.importHeader', params: { header: c.header } });
      }
    }
    let count = 0;
    const seen = new Map<string, number>();
    for (let r = 2; r <= ws.rowCount; r += 1) {
      const row = ws.getRow(r);
      const texts = new Map<string, string>();
      for (const [field, colNumber] of cols) texts.set(field, cellText(row.getCell(colNumber)));
      if ([...texts.values()].every((t) => t.trim() === '')) continue;
      count += 1;
      readRows += 1;
      if (readRows % 500 === 0) {
        progress({ phase: 'read', done: readRows, total: totalRows });
        await breathe();
      }
      const data: Record<string, unknown> = {};
      const meta: Record<string, unknown> = {};
      for (const col of def.columns) {
        const colNumber = cols.get(col.field);
        if (colNumber === undefined) continue;
        const res = readCell(col, texts.get(col.field) ?? '', resolveDept);
        if (!res.ok) {
          fail(def, r, colNumber, { field: col.field, rule: res.rule, key: res.key, params: res.params });
          continue;
        }
        if (res.value === undefined) continue;
        if (isMetaField(def, col.field)) meta[col.field] = res.value;
        else setPath(data, col.field, res.value);
      }
      if (def.child) {
        const itemCode = typeof meta.itemCode === 'string' ? meta.itemCode : '';
        if (!itemCode) continue;
        children.push({
          key: def.child,
          itemCode,
          codeCol: cols.get('itemCode') ?? -1,
          child: { sheet: def, row: r, order: meta.order as number | undefined, data, cols },
        });
        continue;
      }
      const code = typeof meta.code === 'string' ? meta.code : '';
      if (!code) continue;
      const dupOf = seen.get(code);
      if (dupOf !== undefined) {
        fail(def, r, cols.get('code') ?? -1, {
          field: 'code',
          rule: 'importDuplicate',
          key: 'rule.importDuplicate',
          params: { value: code, row: dupOf },
        });
        continue;
      }
      seen.set(code, r);
      entries.push({
        sheet: def,
        kind: def.kind,
        code,
        row: r,
        cols,
        data,
        meta: {
          status: (meta.status as Meta['status'] | undefined) ?? 'published',
          effectiveFrom: meta.effectiveFrom as string | undefined,
          reason: meta.reason as string | undefined,
        },
        children: { materials: [], steps: [], faq: [] },
      });
    }
    bySheet[def.name] = count;
  }
  if (known === 0) fail('', 0, -1, { rule: 'importNoSheets', key: 'rule.importNoSheets' });
  progress({ phase: 'read', done: readRows, total: totalRows });

  // Tie materials, steps and questions to their items ------------------------------------------------
  const items = new Map(entries.filter((e) => e.kind === 'item').map((e) => [e.code, e]));
  for (const c of children) {
    const item = items.get(c.itemCode);
    if (!item) {
      fail(c.child.sheet, c.child.row, c.codeCol, {
        field: 'itemCode',
        rule: 'importUnknownItem',
        key: 'rule.importUnknownItem',
        params: { value: c.itemCode },
      });
      continue;
    }
    item.children[c.key].push(c.child);
  }
  for (const item of items.values()) {
    for (const key of ['materials', 'steps', 'faq'] as const) {
      const list = item.children[key].sort(
        (a, b) =>
          (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) || a.row - b.row,
      );
      item.data[key] = list.map((c) => c.data);
    }
  }

  // What the database already holds -----------------------------------------------------------------
  const existing = await q.entryCodes(
    db,
    [...new Set(entries.map((e) => e.kind))],
    entries.map((e) => e.code),
  );
  const existingIds = [...existing.values()].map((e) => e.id);
  const [latest, published] = await Promise.all([
    q.latestVersionsOf(db, existingIds),
    q.latestPublishedOf(db, existingIds),
  ]);
  carryFiles(entries, existing, latest);
  const fileIds = new Set<string>();
  for (const e of entries) {
    for (const r of referencesOf(e.kind, e.data as s.EntryData))
      if (r.to === 'file' && typeof r.id === 'string') fileIds.add(r.id);
  }
  const files = await q.allFileIds(db, [...fileIds]);
  const live = await q.allLiveCodes(db, ['item', 'power', 'fee', 'fund', 'intermediary']);
  for (const e of entries) if (e.meta.status === 'published') live.add(`${e.kind}:${e.code}`);
  const targets = {
    department: (id: string) => deptById.has(id),
    file: (id: string) => files.has(id),
    entry: (kind: ListKind, code: string) => live.has(`${kind}:${code}`),
  };

  // Check every entry --------------------------------------------------------------------------------
  const day = today();
  let checked = 0;
  for (const e of entries) {
    const def = listDefs[e.kind];
    const report = (f: FieldError) => {
      const at = locate(e, f.field);
      fail(at.sheet, at.row, at.col, f);
    };
    const parsed = def.schema.safeParse(e.data);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        report(
          issueToFieldError({
            code: i.code,
            path: i.path,
            message: i.message,
            params: i as unknown as Record<string, unknown>,
          }),
        );
      }
    } else {
      const data = parsed.data as s.EntryData;
      e.valid = data;
      for (const f of dataIssues(e.kind, data)) report(f);
      for (const f of referenceIssues(referencesOf(e.kind, data), targets)) report(f);
      const region = regionOf(data, deptById, opts.homeRegion);
      if (!canAdministerCatalog(author, region)) {
        report({ field: 'departmentId', rule: 'forbiddenRegion', key: 'error.forbiddenRegion' });
      }
      const prev = existing.get(`${e.kind}:${e.code}`);
      const prevDate = prev ? published.get(prev.id)?.effective_from : undefined;
      const from = e.meta.effectiveFrom ?? day;
      if (prevDate && e.meta.status === 'published' && from < prevDate) {
        report({
          field: 'effectiveFrom',
          rule: 'effectiveOrder',
          key: 'rule.effectiveOrder',
          params: { date: prevDate },
        });
      }
    }
    checked += 1;
    if (checked % 500 === 0) {
      progress({ phase: 'validate', done: checked, total: entries.length });
      await breathe();
    }
  }
  progress({ phase: 'validate', done: checked, total: entries.length });

  // Plan the writes ----------------------------------------------------------------------------------
  const reason = (e: Parsed) =>
    e.meta.reason ?? translate(locale, 'catalog.importReason', { file: opts.fileName ?? 'catalog.xlsx' });
  const creates: BulkEntry[] = [];
  const amends: BulkAmendment[] = [];
  let unchanged = 0;
  const lookup = (id: string | null) => (id ? deptById.get(id) : undefined);
  for (const e of entries) {
    if (!e.valid) continue;
    const bulk: BulkEntry = {
      kind: e.kind,
      code: e.code,
      regionCode: regionOf(e.valid, deptById, opts.homeRegion),
      data: e.valid,
      projection: project(e.kind, e.valid, lookup),
      reason: reason(e),
      effectiveFrom: e.meta.effectiveFrom ?? day,
      published: e.meta.status === 'published',
    };
    const prev = existing.get(`${e.kind}:${e.code}`);
    if (!prev) {
      creates.push(bulk);
      continue;
    }
    const last = latest.get(prev.id);
    // A published row is unchanged when it equals what is published (a pending draft stays pending); a
    // draft row when it equals the pending draft.
    const pub = published.get(prev.id);
    const same = bulk.published
      ? !!pub && pub.action !== 'repeal' && canonicalJson(pub.data) === canonicalJson(e.valid)
      : !!last && last.status === 'draft' && canonicalJson(last.data) === canonicalJson(e.valid);
    if (same) unchanged += 1;
    else
      amends.push({ ...bulk, regionCode: prev.region_code, entryId: prev.id, expectedSeq: prev.latest_seq });
  }
  const result: ImportReport = {
    ok: errors.length === 0,
    dryRun: !!opts.dryRun,
    created: creates.length,
    amended: amends.length,
    unchanged,
    published: [...creates, ...amends].filter((x) => x.published).length,
    bySheet,
    errors: errors.sort((a, b) =>
      a.sheet === b.sheet ? a.row - b.row || a.column.localeCompare(b.column) : 0,
    ),
  };
  if (!result.ok || opts.dryRun) return result;

  // Write everything or nothing -----------------------------------------------------------------------
  const total = creates.length + amends.length;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await db.transaction().execute(async (trx) => {
    await bulkCreate(trx, creates, author, (done) => progress({ phase: 'write', done, total }));
    await bulkAmend(trx, amends, author, (done) =>
      progress({ phase: 'write', done: creates.length + done, total }),
    );
    await recordAudit(trx, author, {
      action: 'catalog.import',
      targetType: 'catalog',
      targetId: opts.fileName ?? null,
      regionCode: opts.homeRegion,
      after: {
        sha256,
        created: result.created,
        amended: result.amended,
        unchanged,
        published: result.published,
        bySheet,
      },
    });
  });
  await q.settleIndexes(db);
  progress({ phase: 'write', done: total, total });
  return result;
}

/** Let the event loop run (progress lines go out, other requests are served) during a long import. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Where a field path of an entry sits in the workbook: its own row, or the row of one of its materials. */
function locate(e: Parsed, path: string): { sheet: SheetDef; row: number; col: number } {
  const parts = path.split('.');
  if (e.kind === 'item' && (parts[0] === 'materials' || parts[0] === 'steps' || parts[0] === 'faq')) {
    const key = parts[0] as ChildKey;
    if (parts.length >= 2 && /^\d+$/.test(parts[1])) {
      const child = e.children[key][Number(parts[1])];
      if (child)
        return {
          sheet: child.sheet,
          row: child.row,
          col: columnOf(child.sheet.columns, child.cols, parts.slice(2)),
        };
    }
    const first = e.children[key][0];
    if (first) return { sheet: first.sheet, row: first.row, col: first.cols.get('name') ?? -1 };
  }
  return { sheet: e.sheet, row: e.row, col: columnOf(e.sheet.columns, e.cols, parts) };
}

function columnOf(columns: Column[], cols: Map<string, number>, parts: string[]): number {
  const named = parts.filter((p) => !/^\d+$/.test(p));
  for (let n = named.length; n > 0; n -= 1) {
    const field = named.slice(0, n).join('.');
    if (columns.some((c) => c.field === field)) return cols.get(field) ?? -1;
  }
  return -1;
}

function regionOf(data: s.EntryData, depts: Map<string, DeptInfo>, home: string): string {
  const id = (data as { departmentId?: string | null }).departmentId;
  return (id ? depts.get(id)?.regionCode : undefined) ?? home;
}

/** Department by full name, then by short name. */
export function deptResolver(depts: DeptInfo[]): (name: string) => DeptInfo | undefined {
  const byName = new Map(depts.map((d) => [d.name, d]));
  const byShort = new Map<string, DeptInfo | null>();
  for (const d of depts) byShort.set(d.shortName, byShort.has(d.shortName) ? null : d);
  return (name) => byName.get(name) ?? byShort.get(name) ?? undefined;
}

/**
 * Blank forms and samples are not in the workbook: an item that already exists keeps the files of its
 * materials (matched by name) and of its result.
 */
function carryFiles(
  entries: Parsed[],
  existing: Map<string, q.EntryRow>,
  latest: Map<string, q.LatestRow>,
): void {
  for (const e of entries) {
    if (e.kind !== 'item') continue;
    const prev = existing.get(`item:${e.code}`);
    const last = prev ? latest.get(prev.id) : undefined;
    if (!last) continue;
    const old = last.data as Partial<s.ItemData>;
    const oldMaterials = new Map((old.materials ?? []).map((m) => [m.name, m]));
    for (const m of (e.data.materials as Record<string, unknown>[] | undefined) ?? []) {
      const o = typeof m.name === 'string' ? oldMaterials.get(m.name) : undefined;
      if (o) {
        m.blankFormFileId = o.blankFormFileId ?? null;
        m.sampleFileId = o.sampleFileId ?? null;
      }
    }
    const result = e.data.result as Record<string, unknown> | undefined;
    if (result && old.result?.sampleFileId) result.sampleFileId = old.result.sampleFileId;
  }
}

/** The error the API answers a rejected workbook with: 400, every problem listed. */
export function importRejected(report: ImportReport): AppError {
  return new AppError(
    'VALIDATION',
    'error.catalogImportInvalid',
    { count: report.errors.length },
    {
      fields: report.errors.map((e) => ({
        field: `${e.sheet}!${e.column}${e.row}`,
        rule: e.rule,
        key: 'catalog.importCell',
        params: { message: e.message },
      })),
      errors: report.errors,
      bySheet: report.bySheet,
    },
  );
}
