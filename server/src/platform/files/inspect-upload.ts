import { extname } from 'node:path';
import { AppError } from '../errors.js';
import { sha256Hex } from './store.js';
import { zipEntryNames } from './zip.js';

/** The only kinds of file an applicant may upload (材料): PDF, JPEG, PNG and OFD (版式文档, GB/T 33190). */
export type UploadKind = 'pdf' | 'jpeg' | 'png' | 'ofd';

export const uploadMime: Record<UploadKind, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  ofd: 'application/ofd',
};

/** The extension a file of each kind is saved under. */
export const uploadExtension: Record<UploadKind, string> = {
  pdf: '.pdf',
  jpeg: '.jpg',
  png: '.png',
  ofd: '.ofd',
};

const kindByExtension: Record<string, UploadKind> = {
  '.pdf': 'pdf',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.ofd': 'ofd',
};

const kindLabel: Record<UploadKind, string> = { pdf: 'PDF', jpeg: 'JPEG', png: 'PNG', ofd: 'OFD' };

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return bytes.byteLength >= signature.length && signature.every((b, i) => bytes[i] === b);
}

/** What the bytes are, read from the bytes themselves (never from the name or the declared type). */
export function sniff(bytes: Uint8Array): UploadKind | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && zipEntryNames(bytes).includes('OFD.xml')) return 'ofd';
  return null;
}

/** Declared types that say which kind a file is; a declared type of another kind contradicts the bytes. */
const declaredTypes: Record<UploadKind, string[]> = {
  pdf: ['application/pdf', 'application/x-pdf', 'application/acrobat'],
  jpeg: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
  png: ['image/png', 'image/x-png'],
  ofd: ['application/ofd', 'application/x-ofd'],
};
/** Declared types of content a browser would run or render as a page. */
const activeTypes = new Set([
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/xhtml+xml',
  'image/svg+xml',
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/vnd.microsoft.portable-executable',
  'application/x-executable',
  'application/x-sh',
  'application/java-archive',
]);

/**
 * Whether the client's Content-Type contradicts the detected kind. The declared type is never trusted (files
 * are stored and served under the detected type); it only refuses uploads that say outright they are
 * something else. Generic or unfamiliar types (application/octet-stream, an OS's own name for OFD) pass.
 */
function declaredContradicts(declared: string | undefined, kind: UploadKind): string | null {
  const type = (declared ?? '').split(';')[0].trim().toLowerCase();
  if (!type) return null;
  if (type.startsWith('text/') || activeTypes.has(type)) return type;
  const other = (Object.keys(declaredTypes) as UploadKind[]).some(
    (k) => k !== kind && declaredTypes[k].includes(type),
  );
  return other ? type : null;
}

/** "20 MB", "512 KB", "900 B" (binary multiples, as file managers show them). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return `${n} B`;
}

export type InspectedUpload = { kind: UploadKind; mime: string; sha256: string; size: number };

function refuse(rule: string, key: string, params: Record<string, string | number> = {}): AppError {
  return new AppError(
    'VALIDATION',
    'error.validation',
    {},
    { fields: [{ field: 'file', rule, key, params }] },
  );
}

/** 413 naming the field `file`; also used when a multipart stream is cut off at the limit. */
export function uploadTooLarge(maxBytes: number): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    'error.payloadTooLarge',
    {},
    {
      fields: [
        {
          field: 'file',
          rule: 'maxSize',
          key: 'rule.fileOverLimit',
          params: { maximum: formatBytes(maxBytes) },
        },
      ],
    },
  );
}

/**
 * Accept only PDF, JPEG, PNG and OFD whose bytes match their extension, not empty, within the size limit.
 * Refusals name the field `file` and the rule: `maxSize` (413), `empty`, `type` (extension not allowed) or
 * `contentMismatch` (the bytes are not what the extension or the declared type says), each a 400.
 */
export function inspectUpload(input: {
  filename: string;
  declaredType?: string;
  bytes: Uint8Array;
  maxBytes: number;
}): InspectedUpload {
  const { bytes } = input;
  if (bytes.byteLength > input.maxBytes) throw uploadTooLarge(input.maxBytes);
  if (bytes.byteLength === 0) throw refuse('empty', 'rule.fileEmpty');
  const extension = extname(input.filename).toLowerCase();
  const byName = kindByExtension[extension];
  if (!byName) throw refuse('type', 'rule.fileType');
  const actual = sniff(bytes);
  if (actual !== byName) {
    throw actual
      ? refuse('contentMismatch', 'rule.fileIsOtherKind', {
          ext: extension.slice(1),
          actual: kindLabel[actual],
        })
      : refuse('contentMismatch', 'rule.fileMismatch');
  }
  const declared = declaredContradicts(input.declaredType, actual);
  if (declared) {
    throw refuse('contentMismatch', 'rule.fileDeclaredType', { declared, actual: kindLabel[actual] });
  }
  return { kind: actual, mime: uploadMime[actual], sha256: sha256Hex(bytes), size: bytes.byteLength };
}
