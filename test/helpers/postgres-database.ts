import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * A fresh, empty database in the run's throwaway PostgreSQL (test/helpers/postgres-global-setup.ts), for one test
 * file or one test: `const url = await freshPostgresDatabase();` then `startHub({ databaseUrl: url, … })`.
 * Throws (so the test FAILS, never skips) when the run has no PostgreSQL, saying why.
 */
export async function freshPostgresDatabase(): Promise<string> {
  const provided = inject('hubPostgres');
  if ('error' in provided) throw new Error(provided.error);
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: provided.adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(provided.adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
