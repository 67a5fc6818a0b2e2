import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The content-addressed file store: a file's SHA-256 is its name, so identical content is stored once and a
 * stored file never changes. One interface, so an object store (S3/OSS/MinIO, key = sha256) can replace the
 * local folder without touching a caller.
 */
export type FileStore = {
  /** Store the bytes (once: storing identical content again is a no-op) and return their address. */
  put(bytes: Uint8Array): Promise<{ sha256: string; size: number }>;
  /** The bytes at `sha256`, or null when nothing is stored there (or it is not a SHA-256 at all). */
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
};

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SHA256 = /^[0-9a-f]{64}$/;

const isMissing = (err: unknown) => {
  const code = (err as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

/**
 * Files under `<root>/<ab>/<cd>/<sha256>` (two levels of 256 folders keep directories small at millions of
 * files). A write goes to a temporary file in the same folder, is flushed to disk, then renamed into place:
 * a reader, a crash or a concurrent writer of the same content never leaves half a file under the name.
 */
export function createLocalFileStore(root: string): FileStore {
  const pathOf = (sha256: string) => join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);

  async function sizeAt(sha256: string): Promise<number | null> {
    if (!SHA256.test(sha256)) return null;
    try {
      return (await stat(pathOf(sha256))).size;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const size = bytes.byteLength;
      // A file of another size under this name was damaged outside the store: write it again.
      if ((await sizeAt(sha256)) === size) return { sha256, size };
      const target = pathOf(sha256);
      await mkdir(dirname(target), { recursive: true });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        const file = await open(tmp, 'wx');
        try {
          await file.writeFile(bytes);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      await syncDirectory(dirname(target));
      return { sha256, size };
    },
    async get(sha256) {
      if (!SHA256.test(sha256)) return null;
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async has(sha256) {
      return (await sizeAt(sha256)) !== null;
    },
  };
}

/** Make the rename itself durable. Some file systems cannot sync a directory; the data is synced already. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // EISDIR/EINVAL/EPERM on platforms without directory fsync.
  }
}

/** A store in memory, for tests and `DATA_DIR=memory` trials. */
export function createMemoryFileStore(): FileStore {
  const files = new Map<string, Uint8Array>();
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      if (!files.has(sha256)) files.set(sha256, new Uint8Array(bytes));
      return { sha256, size: bytes.byteLength };
    },
    async get(sha256) {
      const bytes = files.get(sha256);
      return bytes ? new Uint8Array(bytes) : null;
    },
    async has(sha256) {
      return files.has(sha256);
    },
  };
}
