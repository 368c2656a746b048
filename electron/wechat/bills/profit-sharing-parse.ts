import { BillFormatError, parseSignedYuan, unticked } from './bill-format';

/**
 * The v3 profit-sharing bill (分账账单, GET /v3/profitsharing/bills): one row per split line (分账), per unfreeze
 * line (解冻给分账方) and per return (回退); then a summary. Columns are found by name (the live file's exact layout
 * is unconfirmed, see electron/sandbox/README.md), so an added column does not break the parse.
 */
export interface ProfitSharingBillLine {
  lineNo: number;
  receiverAccount: string;
  transactionId: string;
  /** 商户分账单号 for splits and unfreezes, 商户回退单号 for returns. */
  outNo: string;
  kind: 'split' | 'unfreeze' | 'return';
  state: string;
  amountFen: number;
}

const KINDS: Record<string, ProfitSharingBillLine['kind']> = { 分账: 'split', 解冻给分账方: 'unfreeze', 回退: 'return' };

export function parseProfitSharingBill(csv: string): ProfitSharingBillLine[] {
  const rows = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (rows[0] ?? '').split(',').map((h) => h.trim());
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new BillFormatError(`profit-sharing bill: no column ${name}`, 1, name);
    return i;
  };
  const c = {
    account: col('分账接收方'), tx: col('微信订单号'), outNo: col('商户分账/回退单号'), kind: col('业务类型'), state: col('处理状态'), amount: col('分账/回退金额(元)'),
  };
  const lines: ProfitSharingBillLine[] = [];
  for (let i = 1; i < rows.length; i++) {
    const fields = (rows[i] ?? '').split(',').map(unticked);
    if (fields[0] === '总笔数') break;
    const kind = KINDS[fields[c.kind] ?? ''];
    if (kind === undefined) throw new BillFormatError(`profit-sharing bill: unknown business type ${fields[c.kind] ?? ''}`, i + 1, '业务类型');
    lines.push({
      lineNo: i + 1, receiverAccount: fields[c.account] ?? '', transactionId: fields[c.tx] ?? '', outNo: fields[c.outNo] ?? '', kind,
      state: fields[c.state] ?? '', amountFen: parseSignedYuan(fields[c.amount] ?? '', 'amount', i + 1, '分账/回退金额(元)'),
    });
  }
  return lines;
}
