/** subset-font 2.9 ships no types; this covers the one call we make. */
declare module 'subset-font' {
  type SubsetFontOptions = {
    targetFormat?: 'sfnt' | 'truetype' | 'woff' | 'woff2';
    noLayoutClosure?: boolean;
    noHinting?: boolean;
    dropTables?: string[];
  };
  function subsetFont(font: Buffer, text: string, options?: SubsetFontOptions): Promise<Buffer>;
  export = subsetFont;
}
