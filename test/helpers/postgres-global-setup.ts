import type { TestProject } from 'vitest/node';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's throwaway PostgreSQL, or why there is none (the hub's PostgreSQL tests then fail with it). */
    hubPostgres: { adminUrl: string } | { error: string };
  }
}

let cluster: PostgresCluster | null = null;
// A run that ends without teardown (Ctrl+C, a crash) must not leave a postmaster behind.
const stopOnExit = (): void => cluster?.stopNow();

/**
 * vitest globalSetup: one throwaway PostgreSQL cluster per test run (well under two seconds here). A machine
 * without PostgreSQL does not stop the other tests: the reason is handed to the test files, and every hub test on
 * PostgreSQL fails with it (never skips).
 */
export async function setup(project: TestProject): Promise<void> {
  try {
    cluster = await startPostgresCluster();
    process.once('exit', stopOnExit);
    project.provide('hubPostgres', { adminUrl: cluster.adminUrl });
  } catch (error) {
    project.provide('hubPostgres', { error: error instanceof Error ? error.message : String(error) });
  }
}

export async function teardown(): Promise<void> {
  process.removeListener('exit', stopOnExit);
  await cluster?.stop();
  cluster = null;
}
