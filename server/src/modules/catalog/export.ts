import ExcelJS from 'exceljs';
import type { Db } from '../../db/client.js';
import { fieldError } from '../../platform/errors.js';
import type { Tx } from '../../platform/tx.js';
import { allCurrent, ensureCurrent } from './current.js';
import * as q from './queries.js';
import type * as s from './schema.js';
import { readData } from './versions.js';
import {
  getPath,
  isMetaField,
  type SheetDef,
  type SheetKey,
  sheetByKey,
  sheets,
  writeCell,
} from './workbook.js';

/**
 * Export of the lists as the public sees them today, in the import layout, so an exported workbook imports
 * again unchanged. The template is the same workbook without rows, with a sheet explaining every column.
 */

type Cell = string | number;

async function sheetRows(
  db: Tx,
  def: SheetDef,
  deptName: (id: string) => string,
  cache: Map<string, q.VersionWithData[]>,
): Promise<Cell[][]> {
  let versions = cache.get(def.kind);
  if (!versions) {
    versions = await allCurrent(db, def.kind);
    cache.set(def.kind, versions);
  }
  const rows: Cell[][] = [];
  for (const v of versions) {
    const data = readData(v.kind, v.data);
    const meta: Record<string, unknown> = {
      code: v.code,
      itemCode: v.code,
      status: v.status,
      effectiveFrom: v.effective_from,
      reason: v.reason,
    };
    if (def.child) {
      const children = (data as unknown as s.ItemData)[def.child] as unknown as Record<string, unknown>[];
      children.forEach((child, i) => {
        rows.push(
          def.columns.map((c) =>
            c.field === 'order'
              ? i + 1
              : writeCell(c, c.field === 'itemCode' ? v.code : getPath(child, c.field), deptName),
          ),
        );
      });
    } else {
      rows.push(
        def.columns.map((c) =>
          writeCell(c, isMetaField(def, c.field) ? meta[c.field] : getPath(data, c.field), deptName),
        ),
      );
    }
  }
  return rows;
}

export function parseSheetKeys(lists: string | undefined): SheetKey[] {
  if (!lists) return sheets.map((x) => x.key);
  const keys = lists
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const k of keys) {
    if (!sheetByKey(k))
      throw fieldError('lists', 'enum', 'rule.enum', { options: sheets.map((x) => x.key).join(', ') });
  }
  return keys as SheetKey[];
}

async function deptNames(db: Tx): Promise<(id: string) => string> {
  const depts = new Map((await q.allDepartments(db)).map((d) => [d.id, d.name]));
  return (id) => depts.get(id) ?? id;
}

export async function exportWorkbook(
  db: Db,
  opts: { sheets?: SheetKey[]; template?: boolean } = {},
): Promise<Buffer> {
  if (!opts.template) await ensureCurrent(db);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tongban 通办';
  wb.created = new Date();
  const wanted = opts.sheets ?? sheets.map((x) => x.key);
  const names = await deptNames(db);
  const cache = new Map<string, q.VersionWithData[]>();
  for (const def of sheets.filter((x) => wanted.includes(x.key))) {
    const ws = wb.addWorksheet(def.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = def.columns.map((c) => ({ header: c.header, width: c.width ?? 14 }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    def.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
      if (c.hint) cell.note = c.hint;
    });
    if (!opts.template) {
      for (const row of await sheetRows(db, def, names, cache)) ws.addRow(row);
    }
    ws.eachRow((row, n) => {
      if (n > 1) row.alignment = { wrapText: true, vertical: 'top' };
    });
  }
  if (opts.template) {
    const help = wb.addWorksheet('说明');
    help.columns = [
      { header: '工作表 sheet', width: 16 },
      { header: '列 column', width: 22 },
      { header: '必填 required', width: 10 },
      { header: '说明 notes', width: 80 },
    ];
    help.getRow(1).font = { bold: true };
    for (const def of sheets.filter((x) => wanted.includes(x.key))) {
      for (const c of def.columns) help.addRow([def.name, c.header, c.required ? '是' : '', c.hint]);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csvCell = (v: Cell) => {
  const t = String(v);
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

/** One sheet as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese). */
export async function exportCsv(db: Db, key: SheetKey): Promise<Buffer> {
  await ensureCurrent(db);
  const def = sheetByKey(key);
  if (!def) throw fieldError('lists', 'enum', 'rule.enum', { options: sheets.map((x) => x.key).join(', ') });
  const rows = await sheetRows(db, def, await deptNames(db), new Map());
  const lines = [
    def.columns.map((c) => csvCell(c.header)).join(','),
    ...rows.map((r) => r.map(csvCell).join(',')),
  ];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
