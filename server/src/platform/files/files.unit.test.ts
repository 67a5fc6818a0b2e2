import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { createLocalFileStore, inspectUpload, sha256Hex } from './index.js';

const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

/** A minimal ZIP with the given entry names (deflated), as an OFD container is. */
function zip(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const data = deflateRawSync(Buffer.from('<ofd/>'));
    const nameBuf = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(6, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(6, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function refusal(fn: () => unknown): { status: number; rule: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) {
      const f = (err.details?.fields ?? [])[0];
      return { status: err.status, rule: f?.rule ?? '' };
    }
    throw err;
  }
  throw new Error('accepted');
}

describe('upload checks', () => {
  it('accepts PDF, JPEG, PNG and OFD by their bytes', () => {
    expect(inspectUpload({ filename: 'a.pdf', bytes: pdf, maxBytes: 1000 }).kind).toBe('pdf');
    expect(inspectUpload({ filename: 'a.JPG', bytes: jpeg, maxBytes: 1000 }).kind).toBe('jpeg');
    expect(inspectUpload({ filename: 'a.png', bytes: png, maxBytes: 1000 }).mime).toBe('image/png');
    expect(
      inspectUpload({ filename: '证照.ofd', bytes: zip(['OFD.xml', 'Doc_0/Document.xml']), maxBytes: 10_000 })
        .kind,
    ).toBe('ofd');
  });

  it('refuses a mismatch, an unknown type, an empty file, a plain ZIP and a file too large', () => {
    expect(refusal(() => inspectUpload({ filename: 'a.pdf', bytes: png, maxBytes: 1000 }))).toEqual({
      status: 400,
      rule: 'contentMismatch',
    });
    expect(
      refusal(() =>
        inspectUpload({
          filename: 'photo.jpg',
          bytes: Buffer.from('<html><script>alert(1)</script>'),
          maxBytes: 1000,
        }),
      ),
    ).toEqual({ status: 400, rule: 'contentMismatch' });
    expect(
      refusal(() =>
        inspectUpload({ filename: 'setup.exe', bytes: Buffer.from('MZ\x90\x00'), maxBytes: 1000 }),
      ),
    ).toEqual({ status: 400, rule: 'type' });
    expect(
      refusal(() => inspectUpload({ filename: 'a.pdf', bytes: Buffer.alloc(0), maxBytes: 1000 })),
    ).toEqual({ status: 400, rule: 'empty' });
    expect(
      refusal(() =>
        inspectUpload({ filename: 'a.ofd', bytes: zip(['word/document.xml']), maxBytes: 10_000 }),
      ),
    ).toEqual({ status: 400, rule: 'contentMismatch' });
    expect(
      refusal(() =>
        inspectUpload({ filename: 'a.pdf', bytes: Buffer.concat([pdf, Buffer.alloc(2000)]), maxBytes: 1000 }),
      ),
    ).toEqual({ status: 413, rule: 'maxSize' });
  });
});

describe('content-addressed store', () => {
  it('stores by SHA-256, returns the same bytes and keeps identical content once', async () => {
    const store = createLocalFileStore(mkdtempSync(join(tmpdir(), 'tb-files-')));
    const a = await store.put(pdf);
    const b = await store.put(Buffer.from(pdf));
    expect(a.sha256).toBe(sha256Hex(pdf));
    expect(b.sha256).toBe(a.sha256);
    expect(Buffer.from((await store.get(a.sha256)) as Uint8Array).equals(pdf)).toBe(true);
    expect(await store.get('0'.repeat(64))).toBeNull();
  });
});
