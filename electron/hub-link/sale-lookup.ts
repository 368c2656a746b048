import type { HubSaleView } from '../../shared/hub-protocol';
import type { Localized } from '../../shared/i18n';
import { classifyScan } from '../../shared/scan';
import { HubCallError, type HubClient, type HubIdentity } from './client';

/** How the cashier names another counter's sale: the receipt's terminal and number, or the receipt's QR as scanned. */
export type OtherCounterSaleQuery = { terminalId: string; receiptNo: number } | { receiptQr: string };

export type OtherCounterSaleLookup =
  | { ok: true; sale: HubSaleView }
  | { ok: false; reason: 'hub-needed' | 'not-found' | 'other-store' | 'bad-receipt' | 'refused'; message: Localized };

export interface SaleLookupDeps {
  client: HubClient;
  /** The counter's signed identity (HubLink.currentIdentity): null when it never enrolled or was stopped. */
  identity: () => HubIdentity | null;
}

export const HUB_NEEDED: Localized = {
  zh: '其他收银台的交易需要连接总部才能查到，请检查网络或联系店长',
  en: 'Sales from other counters need the hub: check the network or ask the store manager',
};

/**
 * Finds a sale made at another counter of this store, at the hub (GET sales/lookup). Every way it can fail is a
 * message for the cashier, never an exception: offline or not enrolled says that other counters' sales need the
 * hub; a receipt of another store, an unknown receipt and an unreadable QR each say what they are.
 */
export async function lookupOtherCounterSale(deps: SaleLookupDeps, query: OtherCounterSaleQuery): Promise<OtherCounterSaleLookup> {
  const receipt = readQuery(query);
  if (!receipt) return { ok: false, reason: 'bad-receipt', message: { zh: '无法识别的小票编号或二维码', en: 'This receipt number or QR cannot be read' } };
  const identity = deps.identity();
  if (!identity) return { ok: false, reason: 'hub-needed', message: HUB_NEEDED };
  try {
    return { ok: true, sale: await deps.client.lookupSale(identity, receipt.terminalId, receipt.receiptNo) };
  } catch (error) {
    if (!(error instanceof HubCallError) || error.kind !== 'http' || error.retryable || error.stopsTheLink) {
      return { ok: false, reason: 'hub-needed', message: HUB_NEEDED };
    }
    if (error.code === 'NOT_FOUND') {
      return { ok: false, reason: 'not-found', message: { zh: '总部没有这张小票（其收银台可能尚未上传）', en: 'The hub has no such receipt (its counter may not have sent it yet)' } };
    }
    if (error.code === 'FORBIDDEN') return { ok: false, reason: 'other-store', message: { zh: '这张小票属于其他门店，不能在本店退款', en: 'This receipt belongs to another store and cannot be refunded here' } };
    return { ok: false, reason: 'refused', message: { zh: '总部拒绝了查询', en: 'The hub refused the lookup' } };
  }
}

function readQuery(query: OtherCounterSaleQuery): { terminalId: string; receiptNo: number } | null {
  let terminalId: string;
  let receiptNo: number;
  if ('receiptQr' in query) {
    const scan = classifyScan(query.receiptQr);
    if (scan.kind !== 'receipt' || !/^\d{1,9}$/.test(scan.receiptNo)) return null;
    terminalId = scan.terminalId;
    receiptNo = Number(scan.receiptNo);
  } else {
    terminalId = query.terminalId.trim();
    receiptNo = query.receiptNo;
  }
  if (!/^[A-Za-z0-9]{1,6}$/.test(terminalId) || !Number.isInteger(receiptNo) || receiptNo < 1 || receiptNo > 999_999_999) return null;
  return { terminalId, receiptNo };
}
