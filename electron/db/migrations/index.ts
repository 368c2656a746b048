import type { Migration } from '../migrate';
import { migration0001Core } from './0001-core';
import { migration0002PrintJobs } from './0002-print-jobs';
import { migration0003Payments } from './0003-payments';
import { migration0004PeopleAndSecrets } from './0004-people-and-secrets';
import { migration0005AuditAndRisk } from './0005-audit-and-risk';
import { migration0006Shifts } from './0006-shifts';
import { migration0007Items } from './0007-items';
import { migration0008BillProblems } from './0008-bill-problems';
import { migration0009PinGuard } from './0009-pin-guard';
import { migration0010PaymentAlerts } from './0010-payment-alerts';
import { migration0011Facts } from './0011-facts';
import { migration0012QuickKeys } from './0012-quick-keys';
import { migration0013HubReference } from './0013-hub-reference';
import { migration0014CrossCounterRefunds } from './0014-cross-counter-refunds';
import { migration0015OtherCounterRefundTender } from './0015-other-counter-refund-tender';
import { migration0016AttemptFactSentTime } from './0016-attempt-fact-sent-time';
import { migration0017StaffLanguage } from './0017-staff-language';
import { migration0018RefundClearance } from './0018-refund-clearance';

/**
 * The app database's migrations, in order. A migration file is never edited after it has shipped: add a new
 * one. Each has a test in test/unit/db/.
 */
export const appMigrations: readonly Migration[] = [
  migration0001Core,
  migration0002PrintJobs,
  migration0003Payments,
  migration0004PeopleAndSecrets,
  migration0005AuditAndRisk,
  migration0006Shifts,
  migration0007Items,
  migration0008BillProblems,
  migration0009PinGuard,
  migration0010PaymentAlerts,
  migration0011Facts,
  migration0012QuickKeys,
  migration0013HubReference,
  migration0014CrossCounterRefunds,
  migration0015OtherCounterRefundTender,
  migration0016AttemptFactSentTime,
  migration0017StaffLanguage,
  migration0018RefundClearance,
];
