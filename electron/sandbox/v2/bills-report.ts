import { gzipSync } from 'node:zlib';
import { buildBill, type BillType } from '../bills';
import { textResponse, type SandboxResponse } from '../http';
import { insertReport } from '../ledger/reports';
import { missingField, v2TransportFail, v2Xml, type V2Request } from './protocol';
import type { V2Deps } from './payments';

/** v2 pay/downloadbill and payitil/report: both answer without a signature. */

const BATCH_REPORT_URL = 'https://api.mch.weixin.qq.com/pay/batchreport/micropay/total';

/** The bill's error answers carry `error_code` (not err_code), unsigned. */
function billError(message: string, errorCode?: string): SandboxResponse {
  return v2TransportFail(message, errorCode === undefined ? {} : { error_code: errorCode });
}

export function downloadBillV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const f = req.fields;
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(f.bill_date ?? '');
  if (!date) return billError('invalid bill_date', '20001');
  const billType = (f.bill_type ?? 'ALL') as BillType;
  if (!['ALL', 'SUCCESS', 'REFUND'].includes(billType)) return billError('invalid bill_type', '20001');
  if (f.tar_type !== undefined && f.tar_type !== '' && f.tar_type !== 'GZIP') return billError('invalid tar_type', '20001');
  const day = `${date[1]}-${date[2]}-${date[3]}`;
  const outcome = buildBill(deps.db, deps.billNow(), { ...deps.identity, subMchid: f.sub_mch_id || null }, day, billType);
  switch (outcome.kind) {
    case 'invalid-date':
      return billError('invalid bill_date', '20001');
    case 'creating':
      // (unconfirmed) the live service's error_code for a bill not yet generated is not documented.
      return billError('Bill Creating');
    case 'no-bill':
      return billError('No Bill Exist', '20002');
    case 'bill':
      if (f.tar_type === 'GZIP') {
        return {
          status: 200,
          headers: { 'Content-Type': 'application/octet-stream' },
          body: gzipSync(Buffer.from(outcome.csv, 'utf8')),
        };
      }
      return textResponse(200, 'text/plain; charset=utf-8', outcome.csv);
  }
}

/** payitil/report, per-call and micropay batch forms. The answer is return_code + result_code, unsigned. */
export function reportV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const f = req.fields;
  const missing = missingField(f, ['interface_url', 'user_ip']);
  if (missing) return v2TransportFail(`缺少参数${missing}`);
  let trades: unknown[] | null = null;
  if (f.interface_url === BATCH_REPORT_URL) {
    if (!f.trades) return v2TransportFail('缺少参数trades');
    try {
      const parsed: unknown = JSON.parse(f.trades);
      if (!Array.isArray(parsed)) return v2TransportFail('trades参数格式错误');
      trades = parsed;
    } catch {
      return v2TransportFail('trades参数格式错误');
    }
  } else {
    const lacking = missingField(f, ['execute_time_', 'return_code', 'result_code']);
    if (lacking) return v2TransportFail(`缺少参数${lacking}`);
  }
  insertReport(deps.db, { receivedAt: deps.clock.now(), interfaceUrl: f.interface_url ?? '', fields: withoutSecrets(f), trades });
  return v2Xml({ return_code: 'SUCCESS', result_code: 'SUCCESS' });
}

/** The report is kept for inspection; its signature is not worth keeping. */
function withoutSecrets(fields: Record<string, string>): Record<string, string> {
  const { sign: _sign, ...rest } = fields;
  return rest;
}
