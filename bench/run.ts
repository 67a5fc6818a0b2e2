/**
 * Benchmarks: `npm run bench -- <name> [options]` (or `npx tsx bench/run.ts <name>`).
 *
 *   catalog-search   public item search and power-list search over HTTP, on PGlite and PostgreSQL
 *   lifecycle        full case lifecycles over HTTP, empty and with historical cases, on PostgreSQL and PGlite
 */
const benches: Record<string, () => Promise<{ main(argv: string[]): Promise<number> }>> = {
  'catalog-search': () => import('./catalog-search.js'),
  lifecycle: () => import('./lifecycle.js'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name ? benches[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]\n`);
  process.exit(2);
}
load()
  .then((m) => m.main(rest))
  .then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
