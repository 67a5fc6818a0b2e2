import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { fieldError } from '../errors.js';
import { uploadTooLarge } from './inspect-upload.js';

export type ReceivedUpload = { filename: string; declaredType: string; bytes: Uint8Array };

/**
 * Read the one file of a multipart request (needs @fastify/multipart registered on the route's instance).
 * A file over `maxBytes` is cut off by the parser and refused as a 413 naming `file`, like `inspectUpload`
 * does; left to the generic error map, the parser's own 413 would come out as a 400 "malformed request".
 * Check the result with `inspectUpload` before storing it.
 */
export async function readUpload(req: FastifyRequest, opts: { maxBytes: number }): Promise<ReceivedUpload> {
  if (!req.isMultipart()) throw fieldError('file', 'required', 'rule.required');
  const part = await req.file({ limits: { fileSize: opts.maxBytes, files: 1 }, throwFileSizeLimit: true });
  if (!part) throw fieldError('file', 'required', 'rule.required');
  try {
    const bytes = await part.toBuffer();
    return { filename: part.filename, declaredType: part.mimetype, bytes: new Uint8Array(bytes) };
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw uploadTooLarge(opts.maxBytes);
    throw err;
  }
}
