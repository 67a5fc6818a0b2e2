import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Db } from '../../db/client.js';
import type { SystemActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { translate } from '../../platform/i18n.js';
import { exportCsv, exportWorkbook, parseSheetKeys } from './export.js';
import { type ImportProgress, importCatalog } from './import.js';

/** `tongban import catalog FILE.xlsx` and `tongban export catalog …`, called from server/src/cli.ts. */

const cliActor: SystemActor = { type: 'system', id: null, displayName: 'tongban CLI' };

const phaseLabel: Record<ImportProgress['phase'], string> = {
  read: '读取 read    ',
  validate: '校验 validate',
  write: '写入 write   ',
};

/** A one-line progress bar on stderr, redrawn in place on a terminal and printed per phase otherwise. */
function progressBar(out: NodeJS.WriteStream) {
  let last = '';
  return (p: ImportProgress) => {
    const ratio = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
    const width = 30;
    const filled = Math.round(ratio * width);
    const line = `${phaseLabel[p.phase]} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${p.done}/${p.total}`;
    if (line === last) return;
    last = line;
    if (out.isTTY) out.write(`\r${line}${ratio >= 1 ? '\n' : ''}`);
    else if (ratio >= 1) out.write(`${line}\n`);
  };
}

export async function importCatalogCommand(
  db: Db,
  file: string,
  opts: { homeRegion: string; dryRun: boolean },
): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    process.stderr.write(`import: cannot read ${file}\n`);
    return 2;
  }
  try {
    const report = await importCatalog(db, cliActor, bytes, {
      dryRun: opts.dryRun,
      fileName: basename(file),
      homeRegion: opts.homeRegion,
      onProgress: progressBar(process.stderr),
    });
    const sheets = Object.entries(report.bySheet)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
    if (!report.ok) {
      process.stdout.write(
        `${translate('zh-CN', 'error.catalogImportInvalid', { count: report.errors.length })}\n`,
      );
      process.stdout.write(
        `${translate('en-US', 'error.catalogImportInvalid', { count: report.errors.length })}\n\n`,
      );
      for (const e of report.errors) {
        process.stdout.write(
          `  ${e.sheet}!${e.column}${e.row}\t${e.header ? `[${e.header}] ` : ''}${e.message}\n`,
        );
      }
      return 1;
    }
    process.stdout.write(
      `${report.dryRun ? 'checked (dry run, nothing written)' : 'imported'}: ${report.created} new, ${report.amended} amended, ` +
        `${report.unchanged} unchanged, ${report.published} published (rows: ${sheets})\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      const fields = err.details?.fields
        ?.map((f) => `${f.field}: ${translate('zh-CN', f.key, f.params)}`)
        .join('; ');
      process.stderr.write(
        `import: ${translate('zh-CN', err.key, err.params)}${fields ? ` — ${fields}` : ''}\n`,
      );
      return 1;
    }
    throw err;
  }
}

export async function exportCatalogCommand(
  db: Db,
  opts: { out?: string; template: boolean; format: string; lists?: string },
): Promise<number> {
  if (!opts.out) {
    process.stderr.write('export: --out FILE is required\n');
    return 2;
  }
  if (opts.format !== 'xlsx' && opts.format !== 'csv') {
    process.stderr.write('export: --format is xlsx or csv\n');
    return 2;
  }
  let keys: ReturnType<typeof parseSheetKeys>;
  try {
    keys = parseSheetKeys(opts.lists);
  } catch {
    process.stderr.write(`export: --list takes sheet names: ${parseSheetKeys(undefined).join(', ')}\n`);
    return 2;
  }
  if (opts.format === 'csv') {
    if (keys.length !== 1 || opts.template) {
      process.stderr.write(
        'export: CSV holds one sheet: give exactly one --list (items, materials, powers, fees …)\n',
      );
      return 2;
    }
    await writeFile(opts.out, await exportCsv(db, keys[0]));
  } else {
    await writeFile(opts.out, await exportWorkbook(db, { sheets: keys, template: opts.template }));
  }
  process.stdout.write(
    `${opts.template ? 'template' : 'catalog'} written to ${opts.out} (${keys.join(', ')})\n`,
  );
  return 0;
}
