import { migration0001 } from './0001-enrolment-and-facts';
import type { HubMigration } from './types';

/** Every hub migration in order. Never edit a shipped one: add the next number. */
export const HUB_MIGRATIONS: readonly HubMigration[] = [migration0001];
