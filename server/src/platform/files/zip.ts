/**
 * The names of a ZIP archive's entries, read from its central directory alone (nothing is decompressed).
 * Enough to recognise an OFD container (GB/T 33190: a ZIP with `OFD.xml` at its root). Malformed input gives
 * the names read so far, never an exception.
 */
export function zipEntryNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => Number(view.getBigUint64(at, true));

  // The end-of-central-directory record: 22 bytes plus a comment of up to 65535 bytes, at the very end.
  let eocd = -1;
  for (let i = length - 22; i >= Math.max(0, length - 22 - 0xffff); i--) {
    if (u32(i) === 0x06054b50 && i + 22 + u16(i + 20) <= length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  let entries = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);

  // ZIP64: the real figures are in the ZIP64 record, found through the locator just before the EOCD.
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== 0x07064b50) return [];
    const record = u64(locator + 8);
    if (!Number.isSafeInteger(record) || record + 56 > length || u32(record) !== 0x06064b50) return [];
    entries = u64(record + 32);
    cdSize = u64(record + 40);
    cdOffset = u64(record + 48);
  }

  const end = Math.min(length, cdOffset + cdSize);
  const utf8 = new TextDecoder('utf-8');
  const names: string[] = [];
  let p = cdOffset;
  for (let k = 0; k < entries && p + 46 <= end; k++) {
    if (u32(p) !== 0x02014b50) break;
    const nameLength = u16(p + 28);
    if (p + 46 + nameLength > end) break;
    names.push(utf8.decode(bytes.subarray(p + 46, p + 46 + nameLength)));
    p += 46 + nameLength + u16(p + 30) + u16(p + 32);
  }
  return names;
}
