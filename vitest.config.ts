import { defineConfig } from 'vitest/config';

/**
 * Projects: `unit` (pure code), `pglite` (integration on embedded PGlite), `postgres` (the same integration
 * tests on PostgreSQL — only when TEST_DATABASE_URL is set; .ci/run always sets it), `ops` (benchmark quick
 * mode, scale-out, replica) and `e2e` (Chromium).
 */
const integration = ['server/src/**/*.test.ts'];
const unitOnly = ['server/src/**/*.unit.test.ts'];
/** Tests of PostgreSQL-only behaviour run in the postgres project alone. */
const postgresOnly = ['server/src/**/*.pg.test.ts'];
const withPostgres = !!process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    // Removes the file folders of test processes that vitest ended with a signal.
    globalSetup: ['./vitest.global.ts'],
    projects: [
      { test: { name: 'unit', include: unitOnly, environment: 'node' } },
      {
        test: {
          name: 'pglite',
          include: integration,
          exclude: [...unitOnly, ...postgresOnly],
          env: { TB_TEST_ENGINE: 'pglite' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(withPostgres
        ? [
            {
              test: {
                name: 'postgres',
                include: integration,
                exclude: unitOnly,
                env: { TB_TEST_ENGINE: 'postgres' },
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
      {
        // Whole-system checks that start processes of their own: the benchmark's quick mode, two nodes behind
        // nginx, a streaming replica. One file at a time: each is a small load on the machine.
        test: {
          name: 'ops',
          include: ['bench/**/*.test.ts', 'scripts/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
