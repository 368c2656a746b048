import type { Migration } from '../migrate';
import { migration0001Core } from './0001-core';
import { migration0002PrintJobs } from './0002-print-jobs';

/**
 * The app database's migrations, in order. A migration file is never edited after it has shipped: add a new
 * one. Each has a test in test/unit/db/.
 */
export const appMigrations: readonly Migration[] = [migration0001Core, migration0002PrintJobs];
