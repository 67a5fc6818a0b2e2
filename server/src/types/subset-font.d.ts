declare module 'subset-font' {
  type Options = { targetFormat?: 'sfnt' | 'woff' | 'woff2' | 'truetype'; preserveNameIds?: number[] };
  export default function subsetFont(
    font: Buffer | Uint8Array,
    text: string,
    options?: Options,
  ): Promise<Buffer>;
}
