/** A till on the sandbox: payments, shifts, reconciliation, security and a print queue on one database and clock. */
import type { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { Database } from '../../../electron/db/open';
import { PrintQueue } from '../../../electron/devices/printer/print-queue';
import type { Sandbox } from '../../../electron/sandbox/server';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { ReconciliationService, type ReconciliationDeps } from '../../../electron/shifts/reconciliation-service';
import { ShiftService } from '../../../electron/shifts/service';
import type { ApiVersion, WechatPayClient } from '../../../electron/wechat/types';
import { createHarness, type Harness } from '../../helpers/payments-harness';
import { sandboxClient } from '../../helpers/payments-sandbox';
import { MemorySink, openShiftsDb, withSecurity, type Staff } from '../../unit/shifts/fixture';

export interface Till {
  db: Database;
  clock: ManualClock;
  payments: Harness;
  shifts: ShiftService;
  reconciliation: ReconciliationService;
  staff: Staff;
  queue: PrintQueue;
  sink: MemorySink;
  /** Sends every queued print job to the memory printer. */
  printAll(): Promise<void>;
}

export interface TillOptions {
  /** Stands between the till and the sandbox (e.g. to hand the till a bill of one's own). */
  wrapClient?: (client: WechatPayClient) => WechatPayClient;
  /** More reconciliation dependencies (archive, onProblem). */
  reconciliation?: Partial<Pick<ReconciliationDeps, 'archive' | 'onProblem' | 'logger'>>;
}

export function createTill(sandbox: Sandbox, clock: ManualClock, apiVersion: ApiVersion, terminalId = 'T01', options: TillOptions = {}): Till {
  const db = openShiftsDb();
  const direct = sandboxClient(sandbox, clock, apiVersion);
  const client = options.wrapClient ? options.wrapClient(direct) : direct;
  const payments = createHarness(client, { clock, db, terminalId });
  const staff = withSecurity(db, clock);
  const sink = new MemorySink();
  const logger = new MemoryLogger();
  const queue = new PrintQueue({ db, sink, paper: 80, clock, logger });
  const common = { db, clock, logger, client, worker: payments.service.worker, audit: staff.security.audit };
  const shifts = new ShiftService({
    ...common,
    terminalId,
    approvals: staff.security.approvals,
    printer: queue,
    pdf: chromiumPdfRenderer(),
    settings: () => ({ storeName: '测试便利店', sandbox: true, differenceThresholdFen: 1000 }),
  });
  const reconciliation = new ReconciliationService({ ...common, random: () => 0.5, ...options.reconciliation });
  return {
    db,
    clock,
    payments,
    shifts,
    reconciliation,
    staff,
    queue,
    sink,
    async printAll() {
      for (let i = 0; i < 50; i++) {
        const step = await queue.processNext();
        if (step === 'idle') return;
      }
    },
  };
}
