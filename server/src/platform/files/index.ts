import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { FastifyReply } from 'fastify';
import { AppError } from '../errors.js';

/**
 * The content-addressed file store: a file's SHA-256 is its name (`<root>/ab/cd/<sha256>`), so identical
 * content is stored once and a stored file never changes. One interface, so an object store can replace the
 * local folder later.
 */
export type FileStore = {
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
};

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createLocalFileStore(root: string): FileStore {
  const pathOf = (sha: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha))
      throw new AppError('BAD_REQUEST', 'error.badRequest', { detail: 'sha256' });
    return join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  };
  const has = async (sha: string) => {
    try {
      await stat(pathOf(sha));
      return true;
    } catch {
      return false;
    }
  };
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const target = pathOf(sha256);
      if (!(await has(sha256))) {
        await mkdir(dirname(target), { recursive: true });
        // Write beside, then rename: a reader never sees half a file.
        const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
        await writeFile(tmp, bytes);
        await rename(tmp, target);
      }
      return { sha256, size: bytes.byteLength };
    },
    async get(sha256) {
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch {
        return null;
      }
    },
    has,
  };
}

export type UploadKind = 'pdf' | 'jpeg' | 'png' | 'ofd';
export const uploadMime: Record<UploadKind, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  ofd: 'application/ofd',
};
const extensions: Record<string, UploadKind> = {
  '.pdf': 'pdf',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.ofd': 'ofd',
};

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

/** Names of the entries of a ZIP file, from its central directory (no decompression needed). */
export function zipEntryNames(bytes: Uint8Array): string[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 65 KiB + 22 bytes.
  for (let i = view.length - 22; i >= Math.max(0, view.length - 65557); i--) {
    if (view.readUInt32LE(i) !== 0x06054b50) continue;
    const count = view.readUInt16LE(i + 10);
    let p = view.readUInt32LE(i + 16);
    const names: string[] = [];
    for (let k = 0; k < count && p + 46 <= view.length; k++) {
      if (view.readUInt32LE(p) !== 0x02014b50) break;
      const nameLen = view.readUInt16LE(p + 28);
      const extraLen = view.readUInt16LE(p + 30);
      const commentLen = view.readUInt16LE(p + 32);
      names.push(view.subarray(p + 46, p + 46 + nameLen).toString('utf8'));
      p += 46 + nameLen + extraLen + commentLen;
    }
    return names;
  }
  return [];
}

/** What the bytes are, read from the bytes themselves (never from the name or the declared type). */
export function sniff(bytes: Uint8Array): UploadKind | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && zipEntryNames(bytes).some((n) => n === 'OFD.xml'))
    return 'ofd';
  return null;
}

export type InspectedUpload = { kind: UploadKind; mime: string; sha256: string; size: number };

/**
 * Accept only PDF, JPEG, PNG and OFD, whose content matches their extension, within the size limit.
 * Each refusal is a 400 (413 for size) naming the field `file` and the rule.
 */
export function inspectUpload(input: {
  filename: string;
  declaredType?: string;
  bytes: Uint8Array;
  maxBytes: number;
}): InspectedUpload {
  const { bytes } = input;
  if (bytes.byteLength > input.maxBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      'error.payloadTooLarge',
      {},
      {
        fields: [
          { field: 'file', rule: 'maxSize', key: 'rule.fileTooLarge', params: { maximum: input.maxBytes } },
        ],
      },
    );
  }
  if (bytes.byteLength === 0) throw uploadError('empty', 'rule.fileEmpty');
  const byName = extensions[extname(input.filename).toLowerCase()];
  if (!byName) throw uploadError('type', 'rule.fileType');
  const actual = sniff(bytes);
  if (actual !== byName) throw uploadError('contentMismatch', 'rule.fileMismatch');
  return { kind: actual, mime: uploadMime[actual], sha256: sha256Hex(bytes), size: bytes.byteLength };
}

function uploadError(rule: string, key: string): AppError {
  return new AppError('VALIDATION', 'error.validation', {}, { fields: [{ field: 'file', rule, key }] });
}

/**
 * Serve a stored file with its detected type, as an attachment (PDF and images inline), never sniffed by the
 * browser: uploads are never executed or rendered as HTML.
 */
export async function sendStoredFile(
  reply: FastifyReply,
  store: FileStore,
  sha256: string,
  opts: { filename: string; kind: UploadKind },
): Promise<FastifyReply> {
  const bytes = await store.get(sha256);
  if (!bytes) throw new AppError('NOT_FOUND', 'error.notFound', { what: 'what.document' });
  const mime = uploadMime[opts.kind] ?? 'application/octet-stream';
  const inline = opts.kind === 'pdf' || opts.kind === 'jpeg' || opts.kind === 'png';
  reply
    .header('content-type', mime)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header(
      'content-disposition',
      `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(opts.filename)}`,
    );
  return reply.send(Buffer.from(bytes));
}
