import { defineConfig } from 'vitest/config';

/**
 * Unit tests (pure rules) run once. Every suite that touches a database runs on embedded PGlite always, and
 * again on a real Postgres when TEST_DATABASE_URL is set (CI sets it).
 */
const databaseSuites = [
  'tests/integration/**/*.test.ts',
  'tests/bots/**/*.test.ts',
  'tests/jobs/**/*.test.ts',
  'tests/http/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'pglite', include: databaseSuites, env: { GRIDLINE_TEST_DB: 'pglite' } },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: databaseSuites,
                env: { GRIDLINE_TEST_DB: 'postgres' },
                globalSetup: ['tests/helpers/pg-global-setup.ts'],
              },
            },
          ]
        : []),
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'] } },
      // Crash, fault, fuzz and clock suites: minutes each, so only `npm run test:chaos` (which CI runs too).
      ...(process.env.GRIDLINE_CHAOS
        ? [{ extends: true as const, test: { name: 'chaos', include: ['tests/chaos/**/*.test.ts'], testTimeout: 600_000 } }]
        : []),
    ],
  },
});
