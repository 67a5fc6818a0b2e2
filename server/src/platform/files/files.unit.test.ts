import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, presentError } from '../errors.js';
import {
  contentDisposition,
  createLocalFileStore,
  createMemoryFileStore,
  type FileStore,
  inspectUpload,
  readUpload,
  sendStoredFile,
  sha256Hex,
  zipEntryNames,
} from './index.js';

const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
const png = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);

/**
 * A ZIP written by hand: local headers, central directory, end record. `deflate` compresses the entries as
 * OFD writers do; without it they are stored. `zip64` moves the directory figures into the ZIP64 record.
 */
function zip(names: string[], opts: { deflate?: boolean; zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const content = Buffer.from('<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>');
    const data = opts.deflate ? deflateRawSync(content) : content;
    const method = opts.deflate ? 8 : 0;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const tail: Buffer[] = [];
  if (opts.zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(BigInt(names.length), 24);
    record.writeBigUInt64LE(BigInt(names.length), 32);
    record.writeBigUInt64LE(BigInt(directory.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(opts.zip64 ? 0xffff : names.length, 8);
  end.writeUInt16LE(opts.zip64 ? 0xffff : names.length, 10);
  end.writeUInt32LE(opts.zip64 ? 0xffffffff : directory.length, 12);
  end.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 16);
  return Buffer.concat([...locals, directory, ...tail, end]);
}

const ofd = zip(['OFD.xml', 'Doc_0/Document.xml', 'Doc_0/Pages/Page_0/Content.xml'], { deflate: true });

function refusal(fn: () => unknown): { status: number; field: string; rule: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) {
      const body = presentError(err, 'zh-CN');
      const fields = (body.error.details?.fields ?? []) as { field: string; rule: string; message: string }[];
      const field = fields[0];
      return { status: err.status, field: field.field, rule: field.rule, message: field.message };
    }
    throw err;
  }
  throw new Error('accepted');
}

describe('inspectUpload', () => {
  it('accepts PDF, JPEG, PNG and OFD by their bytes, whatever the case of the extension', () => {
    expect(inspectUpload({ filename: '申请书.pdf', bytes: pdf, maxBytes: 1000 })).toEqual({
      kind: 'pdf',
      mime: 'application/pdf',
      sha256: sha256Hex(pdf),
      size: pdf.length,
    });
    expect(inspectUpload({ filename: 'a.JPG', bytes: jpeg, maxBytes: 1000 }).kind).toBe('jpeg');
    expect(
      inspectUpload({ filename: 'a.jpeg', declaredType: 'image/jpeg', bytes: jpeg, maxBytes: 1000 }).kind,
    ).toBe('jpeg');
    expect(
      inspectUpload({ filename: 'a.png', declaredType: 'image/png', bytes: png, maxBytes: 1000 }).mime,
    ).toBe('image/png');
    const checked = inspectUpload({
      filename: '营业执照.ofd',
      declaredType: 'application/octet-stream',
      bytes: ofd,
      maxBytes: 10_000,
    });
    expect(checked).toMatchObject({ kind: 'ofd', mime: 'application/ofd' });
  });

  it('recognises OFD from the ZIP central directory: stored or deflated entries, ZIP64, a trailing comment', () => {
    expect(zipEntryNames(zip(['OFD.xml', 'Doc_0/Document.xml']))).toEqual(['OFD.xml', 'Doc_0/Document.xml']);
    expect(zipEntryNames(zip(['OFD.xml'], { zip64: true }))).toEqual(['OFD.xml']);
    const withComment = Buffer.concat([ofd, Buffer.from('电子证照')]);
    withComment.writeUInt16LE(Buffer.byteLength('电子证照'), ofd.length - 2);
    expect(inspectUpload({ filename: 'a.ofd', bytes: withComment, maxBytes: 10_000 }).kind).toBe('ofd');
    // Damaged archives are simply not OFD.
    expect(zipEntryNames(ofd.subarray(0, ofd.length - 30))).toEqual([]);
    expect(zipEntryNames(Buffer.from('PK\x03\x04'))).toEqual([]);
  });

  it('refuses content that does not match its extension, naming what it really is', () => {
    expect(refusal(() => inspectUpload({ filename: 'licence.pdf', bytes: png, maxBytes: 1000 }))).toEqual({
      status: 400,
      field: 'file',
      rule: 'contentMismatch',
      message: '扩展名是 .pdf,但文件内容是 PNG',
    });
    // HTML renamed .jpg: the bytes are nothing we accept.
    const html = refusal(() =>
      inspectUpload({
        filename: 'photo.jpg',
        bytes: Buffer.from('<html><script>alert(1)</script>'),
        maxBytes: 1000,
      }),
    );
    expect(html).toMatchObject({ status: 400, field: 'file', rule: 'contentMismatch' });
    // A plain ZIP (or a .docx) renamed .ofd has no OFD.xml at its root.
    expect(
      refusal(() =>
        inspectUpload({ filename: 'a.ofd', bytes: zip(['word/document.xml']), maxBytes: 10_000 }),
      ),
    ).toMatchObject({ status: 400, rule: 'contentMismatch' });
    expect(
      refusal(() => inspectUpload({ filename: 'a.ofd', bytes: zip(['Doc_0/OFD.xml']), maxBytes: 10_000 })),
    ).toMatchObject({ status: 400, rule: 'contentMismatch' });
  });

  it('refuses a declared type that contradicts the bytes, and ignores generic ones', () => {
    expect(
      refusal(() =>
        inspectUpload({
          filename: 'a.pdf',
          declaredType: 'text/html; charset=utf-8',
          bytes: pdf,
          maxBytes: 1000,
        }),
      ),
    ).toMatchObject({
      status: 400,
      rule: 'contentMismatch',
      message: '声明的类型 text/html 与文件内容(PDF)不符',
    });
    expect(
      refusal(() =>
        inspectUpload({ filename: 'a.png', declaredType: 'image/jpeg', bytes: png, maxBytes: 1000 }),
      ),
    ).toMatchObject({ rule: 'contentMismatch' });
    for (const declaredType of [
      '',
      'application/octet-stream',
      'application/x-ofd-custom',
      'application/zip',
    ]) {
      expect(inspectUpload({ filename: 'a.ofd', declaredType, bytes: ofd, maxBytes: 10_000 }).kind).toBe(
        'ofd',
      );
    }
  });

  it('refuses an extension that is not allowed, an empty file and a file over the limit (413)', () => {
    expect(
      refusal(() =>
        inspectUpload({ filename: 'setup.exe', bytes: Buffer.from('MZ\x90\x00'), maxBytes: 1000 }),
      ),
    ).toMatchObject({ status: 400, field: 'file', rule: 'type' });
    expect(refusal(() => inspectUpload({ filename: 'scan', bytes: pdf, maxBytes: 1000 }))).toMatchObject({
      rule: 'type',
    });
    expect(
      refusal(() => inspectUpload({ filename: 'a.pdf', bytes: Buffer.alloc(0), maxBytes: 1000 })),
    ).toMatchObject({
      status: 400,
      rule: 'empty',
    });
    const big = Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024)]);
    expect(
      refusal(() => inspectUpload({ filename: 'a.pdf', bytes: big, maxBytes: 20 * 1024 * 1024 })),
    ).toEqual({
      status: 413,
      field: 'file',
      rule: 'maxSize',
      message: '文件超过 20 MB 的上限',
    });
    // Exactly at the limit is accepted.
    expect(inspectUpload({ filename: 'a.pdf', bytes: pdf, maxBytes: pdf.length }).size).toBe(pdf.length);
  });
});

/** Folders the local stores of these tests write to, removed when they end. */
const roots: string[] = [];
function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'tb-files-'));
  roots.push(root);
  return root;
}
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe.each([
  ['local folder', () => createLocalFileStore(tempRoot())],
  ['memory', () => createMemoryFileStore()],
])('file store (%s)', (_name, create: () => FileStore) => {
  it('stores by SHA-256 and gives the same bytes back', async () => {
    const store = create();
    const put = await store.put(pdf);
    expect(put).toEqual({ sha256: sha256Hex(pdf), size: pdf.length });
    expect(await store.has(put.sha256)).toBe(true);
    expect(Buffer.from((await store.get(put.sha256)) ?? []).equals(pdf)).toBe(true);
  });

  it('keeps identical content once and answers null for what it does not hold or cannot be a hash', async () => {
    const store = create();
    const [a, b] = await Promise.all([store.put(png), store.put(Buffer.from(png))]);
    expect(b).toEqual(a);
    expect(await store.get('0'.repeat(64))).toBeNull();
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(await store.get('../../etc/passwd')).toBeNull();
    expect(await store.has('ABC')).toBe(false);
  });
});

describe('local file store layout', () => {
  it('writes <root>/<ab>/<cd>/<sha256> and leaves no temporary files, even for concurrent identical puts', async () => {
    const root = tempRoot();
    const store = createLocalFileStore(root);
    const results = await Promise.all(Array.from({ length: 8 }, () => store.put(jpeg)));
    const sha = results[0].sha256;
    const folder = join(root, sha.slice(0, 2), sha.slice(2, 4));
    expect(readdirSync(folder)).toEqual([sha]);
    expect(readdirSync(root)).toEqual([sha.slice(0, 2)]);
  });
});

describe('serving and receiving files over HTTP', () => {
  let app: FastifyInstance;
  const store = createMemoryFileStore();
  let pdfSha = '';
  let ofdSha = '';
  const MAX = 64 * 1024;

  beforeAll(async () => {
    pdfSha = (await store.put(pdf)).sha256;
    ofdSha = (await store.put(ofd)).sha256;
    app = Fastify();
    // The app-wide policy of app.ts (object-src 'none'); a file's own policy must replace it.
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], objectSrc: ["'none'"] } },
    });
    await app.register(fastifyMultipart, { limits: { fileSize: MAX * 4 } });
    app.setErrorHandler((err, _req, reply) =>
      err instanceof AppError
        ? reply.status(err.status).send(presentError(err, 'en-US'))
        : reply.status(500).send({ message: String(err) }),
    );
    app.get<{ Params: { sha: string }; Querystring: { kind?: string; download?: string } }>(
      '/files/:sha',
      (req, reply) =>
        sendStoredFile(reply, store, req.params.sha, {
          filename: req.params.sha === ofdSha ? '电子营业执照' : '营业执照 "副本".pdf',
          kind: req.params.sha === ofdSha ? 'ofd' : 'pdf',
          download: req.query.download === '1',
        }),
    );
    app.post('/upload', async (req) => {
      const upload = await readUpload(req, { maxBytes: MAX });
      return inspectUpload({ ...upload, maxBytes: MAX });
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('serves a PDF inline under its detected type, unsniffed, uncached, with a policy its viewer can run under', async () => {
    const res = await app.inject({ method: 'GET', url: `/files/${pdfSha}` });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(pdf)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['content-disposition']).toBe(
      `inline; filename="____ ____.pdf"; filename*=UTF-8''${encodeURIComponent('营业执照 _副本_.pdf')}`,
    );
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("object-src 'self'");
    expect(csp).not.toContain('sandbox');
    expect(csp).not.toContain('script-src');
  });

  it('serves OFD as a sandboxed download with its extension, and a PDF as a download when asked', async () => {
    const res = await app.inject({ method: 'GET', url: `/files/${ofdSha}` });
    expect(res.headers['content-type']).toBe('application/ofd');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="______\.ofd"; filename\*=UTF-8''/,
    );
    expect(String(res.headers['content-security-policy'])).toContain('sandbox');
    const download = await app.inject({ method: 'GET', url: `/files/${pdfSha}?download=1` });
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('answers 404 for a file that is not stored', async () => {
    const res = await app.inject({ method: 'GET', url: `/files/${'1'.repeat(64)}` });
    expect(res.statusCode).toBe(404);
  });

  it('receives a multipart upload and refuses one over the limit as a 413 naming the field', async () => {
    const send = (name: string, bytes: Buffer, type: string) => {
      const boundary = '----tongban';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return app.inject({
        method: 'POST',
        url: '/upload',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
    };
    const ok = await send('scan.png', png, 'image/png');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ kind: 'png', size: png.length });
    const atLimit = await send(
      'scan.pdf',
      Buffer.concat([pdf, Buffer.alloc(MAX - pdf.length)]),
      'application/pdf',
    );
    expect(atLimit.statusCode).toBe(200);
    const over = await send('scan.pdf', Buffer.concat([pdf, Buffer.alloc(MAX)]), 'application/pdf');
    expect(over.statusCode).toBe(413);
    expect(over.json().error.details.fields[0]).toMatchObject({
      field: 'file',
      rule: 'maxSize',
      message: 'the file is over the limit of 64 KB',
    });
    const none = await app.inject({ method: 'POST', url: '/upload', payload: { file: 'x' } });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details.fields[0]).toMatchObject({ field: 'file', rule: 'required' });
  });
});

describe('contentDisposition', () => {
  it('keeps a Chinese name for modern clients and gives old ones a safe ASCII name', () => {
    expect(contentDisposition('attachment', '受理通知书.pdf')).toBe(
      `attachment; filename="_____.pdf"; filename*=UTF-8''%E5%8F%97%E7%90%86%E9%80%9A%E7%9F%A5%E4%B9%A6.pdf`,
    );
    expect(contentDisposition('inline', "a'b(1)\r\n/..\\x.pdf")).toBe(
      `inline; filename="a'b(1)___.._x.pdf"; filename*=UTF-8''a%27b%281%29___.._x.pdf`,
    );
  });
});
