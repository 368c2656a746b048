import { migration0001 } from './0001-enrolment-and-facts';
import { migration0002 } from './0002-projections';
import { migration0003 } from './0003-reference-data';
import { migration0004 } from './0004-bills-and-reconciliation';
import { migration0005 } from './0005-merchants-and-notifications';
import { migration0006 } from './0006-finance-role';
import { migration0007 } from './0007-dashboard-rollups';
import { migration0008 } from './0008-settlement';
import { migration0009 } from './0009-price-schedules-and-accounts';
import { migration0010 } from './0010-rollup-marks';
import { migration0011 } from './0011-month-rollups';
import { migration0012 } from './0012-sub-merchants';
import type { HubMigration } from './types';

/** Every hub migration in order. Never edit a shipped one: add the next number. */
export const HUB_MIGRATIONS: readonly HubMigration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012];
