import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config } from '../../config.js';
import { createLocalFileStore, type FileStore } from '../../platform/files/index.js';

const stores = new Map<string, FileStore>();

/** Memory mode's file folder in the system's temp folder is this prefix and the process id. */
export const MEMORY_FILES_PREFIX = 'tongban-files-';

/** The content-addressed store for uploads and generated documents: `<DATA_DIR>/files`, or a temp folder in memory mode. */
export function caseFileStore(config: Config): FileStore {
  const root =
    config.DATA_DIR === 'memory'
      ? join(tmpdir(), `${MEMORY_FILES_PREFIX}${process.pid}`)
      : resolve(config.DATA_DIR, 'files');
  let store = stores.get(root);
  if (!store) {
    store = createLocalFileStore(root);
    stores.set(root, store);
    // Memory mode keeps nothing: its files go with the process.
    if (config.DATA_DIR === 'memory')
      process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  }
  return store;
}
