import { MalformedAnswer } from '../outcome';
import { fenField, optionalString } from '../parse-values';
import type { SplitLineResult, SplitOrderState } from './types';

/**
 * One receiver line of a split order as WeChat answers it. v3 (JSON) and v2 (a JSON text inside the XML's
 * `receivers`) name and spell a line's fields alike, so both clients read a line here.
 */
export function splitLineOf(r: Record<string, unknown>): SplitOrderState['receivers'][number] {
  const line: SplitOrderState['receivers'][number] = {
    type: optionalString(r.type) ?? '',
    account: optionalString(r.account) ?? '',
    amountFen: fenField(r.amount, 'receiver amount'),
    description: optionalString(r.description) ?? '',
    result: splitLineResult(r.result),
  };
  const failReason = optionalString(r.fail_reason);
  if (failReason) line.failReason = failReason;
  const detailId = optionalString(r.detail_id);
  if (detailId) line.detailId = detailId;
  return line;
}

function splitLineResult(value: unknown): SplitLineResult {
  if (value === 'PENDING' || value === 'SUCCESS' || value === 'CLOSED') return value;
  throw new MalformedAnswer('unknown receiver result');
}
