import type { FastifyReply } from 'fastify';
import { notFound } from '../errors.js';
import { type UploadKind, uploadExtension, uploadMime } from './inspect-upload.js';
import type { FileStore } from './store.js';

/**
 * A policy for the file's own response. Images and OFD are sandboxed outright. A PDF cannot be: Chrome's
 * viewer does not run in a sandboxed document and needs `object-src` and inline styles (crbug.com/271452),
 * which the app-wide policy (object-src 'none') would block, so inline PDFs get a policy that allows the
 * viewer and nothing else.
 */
const filePolicy: Record<UploadKind, string> = {
  pdf: "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'",
  jpeg: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
  png: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
  ofd: "default-src 'none'; frame-ancestors 'none'; sandbox",
};

/**
 * `inline` or `attachment` with the file name twice: an ASCII fallback for old clients and the UTF-8 name
 * (RFC 6266 / RFC 8187), so 营业执照.pdf keeps its Chinese name. Quotes, slashes and control characters are
 * replaced, so a name can never break the header or point into a folder.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', filename: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed.
  const clean = filename.replace(/[\u0000-\u001f\u007f"\\/]/g, '_').trim() || 'file';
  const ascii = clean.replace(/[^\u0020-\u007e]/g, '_');
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The name with the extension of its kind, so the download opens in the right program. */
function withExtension(filename: string, kind: UploadKind): string {
  const lower = filename.toLowerCase();
  const ok =
    kind === 'jpeg'
      ? lower.endsWith('.jpg') || lower.endsWith('.jpeg')
      : lower.endsWith(uploadExtension[kind]);
  return ok ? filename : `${filename}${uploadExtension[kind]}`;
}

/**
 * Serve a stored file under its detected type, never sniffed by the browser (`nosniff`), PDF and images
 * inline (or as a download when asked), OFD always as a download, and never cached by a shared or hall
 * computer: uploads are never executed or rendered as HTML.
 */
export async function sendStoredFile(
  reply: FastifyReply,
  store: FileStore,
  sha256: string,
  opts: { filename: string; kind: UploadKind; download?: boolean },
): Promise<FastifyReply> {
  const bytes = await store.get(sha256);
  if (!bytes) throw notFound('what.document');
  // A kind read back from the database that is none of ours is served as opaque bytes to download.
  const known = Object.hasOwn(uploadMime, opts.kind);
  const inline = known && !opts.download && opts.kind !== 'ofd';
  const filename = known ? withExtension(opts.filename, opts.kind) : opts.filename;
  reply
    .header('content-type', known ? uploadMime[opts.kind] : 'application/octet-stream')
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', filename))
    .header('content-security-policy', filePolicy[known ? opts.kind : 'ofd'])
    .header('cache-control', 'private, no-store');
  return reply.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
