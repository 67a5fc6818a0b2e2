export {
  formatBytes,
  type InspectedUpload,
  inspectUpload,
  sniff,
  type UploadKind,
  uploadExtension,
  uploadMime,
  uploadTooLarge,
} from './inspect-upload.js';
export { type ReceivedUpload, readUpload } from './read-upload.js';
export { contentDisposition, sendStoredFile } from './send-stored-file.js';
export { createLocalFileStore, createMemoryFileStore, type FileStore, sha256Hex } from './store.js';
export { zipEntryNames } from './zip.js';
