/**
 * Benchmarks: `npm run bench -- [<name>] [options]` (or `npx tsx bench/run.ts <name>`).
 *
 *   lifecycle        (the default) full case lifecycles over HTTP, empty and with historical cases, on
 *                    PostgreSQL and PGlite; then the read scenarios (inbox, progress, catalog) and the
 *                    machine's limits (pgbench, a bare Fastify server) in the same run
 *   catalog-search   public item search and power-list search over HTTP, on PGlite and PostgreSQL
 *   supervision      board and figure queries for a month and a year over 1M (PostgreSQL) / 100k (PGlite) cases
 */
const benches: Record<string, () => Promise<{ main(argv: string[]): Promise<number> }>> = {
  'catalog-search': () => import('./catalog-search.js'),
  lifecycle: () => import('./lifecycle.js'),
  supervision: () => import('./supervision.js'),
};

const argv = process.argv.slice(2);
// No name (or options only): the whole run, lifecycle with its read scenarios and the limits.
const [name, ...rest] = argv.length === 0 || argv[0].startsWith('--') ? ['lifecycle', ...argv] : argv;
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
