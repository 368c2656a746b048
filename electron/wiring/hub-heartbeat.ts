import type { Database } from 'better-sqlite3';
import type { HeartbeatRequest } from '../../shared/hub-protocol';
import type { ScannerState } from '../../shared/scan';
import { getOpenShift } from '../db/shifts';
import type { PaymentService } from '../payments/service';
import type { Printing } from './printing';

/** The counter's state for the hub's live view (HeartbeatRequest), from the services once they exist. */
export function hubHeartbeatState(
  db: Database,
  terminalId: string,
  payments: PaymentService | null,
  printing: Printing | null,
  scanner: (() => ScannerState) | null,
): Omit<HeartbeatRequest, 'appVersion' | 'backlog' | 'oldestUnsentAt'> {
  const printer = printing?.status();
  const scan = scanner?.();
  const shift = getOpenShift(db, terminalId);
  return {
    wechatReachable: payments?.syncStatus().wechatAvailable ?? false,
    printer: !printer || !printer.configured ? 'none' : printer.problem === null ? 'ok' : /paper/i.test(printer.problem) ? 'paper-out' : 'offline',
    scanner: !scan || scan.status === 'disabled' ? 'none' : scan.status === 'connected' ? 'ok' : 'offline',
    openShift: shift ? { shiftId: shift.id.slice(0, 64), cashierName: shift.cashier_name.slice(0, 20), openedAt: shift.opened_at } : null,
  };
}
