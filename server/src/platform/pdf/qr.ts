import { create } from 'qrcode';

/** Error correction M (15 %): survives a stamp or a fold over a corner and keeps the symbol small. */
export const QR_ERROR_CORRECTION = 'M';

export type QrMatrix = { size: number; dark(row: number, col: number): boolean };

/** The module matrix of a QR code for `text`, straight from `qrcode` (no image in between). */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  return { size: modules.size, dark: (row, col) => modules.get(row, col) === 1 };
}

/**
 * One SVG path (y down, one unit per module) covering every dark module, with each horizontal run of dark
 * modules as one rectangle. Filled in one operation, neighbouring modules show no hairline seams.
 */
export function qrPath(matrix: QrMatrix): string {
  const parts: string[] = [];
  for (let row = 0; row < matrix.size; row++) {
    let col = 0;
    while (col < matrix.size) {
      if (!matrix.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < matrix.size && matrix.dark(row, col)) col++;
      parts.push(`M${start} ${row}h${col - start}v1h${start - col}z`);
    }
  }
  return parts.join('');
}
