import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, fieldError, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Tx } from '../../platform/tx.js';
import { catalogAdminPrefixes } from './policy.js';
import * as q from './queries.js';
import type * as s from './schema.js';

/**
 * Blank forms, samples and result samples (空白表格、示范文本), kept in the database with their sha256. A file
 * never changes: a new form is a new file and a new version of the item that points at it.
 */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export const fileUrl = (id: string) => `/api/v1/catalog/files/${id}`;

export function presentFile(f: q.FileMeta): z.output<typeof s.fileInfo> {
  return {
    id: f.id,
    name: f.name,
    contentType: f.content_type,
    size: f.size,
    sha256: f.sha256,
    url: fileUrl(f.id),
  };
}

/** Store bytes (the same name and content once); the caller writes the audit row. */
export async function storeFile(
  trx: Tx,
  file: { name: string; contentType: string; bytes: Uint8Array },
  createdBy: string | null,
): Promise<q.FileMeta> {
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const existing = await q.findFileBySha(trx, sha256, file.name);
  if (existing) return existing;
  const row = {
    id: newId(),
    name: file.name,
    content_type: file.contentType,
    size: file.bytes.byteLength,
    sha256,
    bytes: file.bytes,
    created_by: createdBy,
  };
  await q.insertFile(trx, row);
  return row;
}

export async function uploadFile(db: Db, actor: Actor | null, input: z.output<typeof s.uploadFile>) {
  catalogAdminPrefixes(actor);
  const author = actor as Actor;
  if (!/^[A-Za-z0-9+/=\s]+$/.test(input.dataBase64)) throw fieldError('dataBase64', 'format', 'rule.base64');
  const bytes = Buffer.from(input.dataBase64, 'base64');
  if (bytes.byteLength === 0) throw fieldError('dataBase64', 'required', 'rule.required');
  if (bytes.byteLength > MAX_FILE_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'error.payloadTooLarge');
  return db.transaction().execute(async (trx) => {
    const meta = await storeFile(trx, { name: input.name, contentType: input.contentType, bytes }, author.id);
    await recordAudit(trx, author, {
      action: 'catalog.file.upload',
      targetType: 'catalog.file',
      targetId: meta.id,
      after: { name: meta.name, size: meta.size, sha256: meta.sha256 },
    });
    return presentFile(meta);
  });
}

export async function downloadFile(db: Tx, id: string) {
  const f = await q.getFile(db, id);
  if (!f) throw notFound('what.catalogFile');
  return { ...f, bytes: Buffer.from(f.bytes) };
}
