import { defineConfig } from 'vitest/config';

// Unit and integration tests run under plain Node: real SQLite, real HTTP against the sandbox, real ptys.
export const config = defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One throwaway PostgreSQL per run for the hub's tests (test/helpers/postgres-cluster.ts).
    globalSetup: ['test/helpers/postgres-global-setup.ts'],
    allowOnly: false,
    passWithNoTests: false,
  },
});

// vitest loads the config's default export (config files are exempt from the named-exports rule).
export default config;
