import type { AuditView } from '../../../shared/hub-admin-api';
import {
  HUB_SETTLEMENT_PATHS as S, type AddReceiverRequest, type CapView, type ProposeRulesRequest, type ReceiverView, type RuleSetView,
  type SetCapRequest, type SettlementOrderView, type SettlementReportView,
} from '../../../shared/hub-settlement-api';
import { hubApi, hubRequest } from '../client/hub-client';

/** The settlement admin API (shared/hub-settlement-api.ts) as the settlement page calls it. */
export const settlementApi = {
  report: (date: string, store: string | null) =>
    hubRequest<SettlementReportView>('GET', `${S.report}?${new URLSearchParams(store ? { date, store } : { date }).toString()}`),
  retry: (line: SettlementOrderView, note: string) => hubRequest<SettlementOrderView>('POST', S.retry(line.transactionId, line.account), { note }),
  resolve: (line: SettlementOrderView, note: string) => hubRequest<SettlementOrderView>('POST', S.resolve(line.transactionId, line.account), { note }),
  rules: (store: string | null) => hubRequest<RuleSetView[]>('GET', store ? `${S.rules}?store=${encodeURIComponent(store)}` : S.rules),
  propose: (request: ProposeRulesRequest) => hubRequest<RuleSetView>('POST', S.rules, request),
  approve: (ruleSetId: string) => hubRequest<RuleSetView>('POST', S.approve(ruleSetId), {}),
  reject: (ruleSetId: string) => hubRequest<RuleSetView>('POST', S.reject(ruleSetId), {}),
  receivers: () => hubRequest<ReceiverView[]>('GET', S.receivers),
  addReceiver: (request: AddReceiverRequest) => hubRequest<ReceiverView>('POST', S.receivers, request),
  caps: () => hubRequest<CapView[]>('GET', S.caps),
  setCap: (request: SetCapRequest) => hubRequest<CapView[]>('PUT', S.caps, request),
  /** The owner's audit log, settlement actions only (newest first). */
  audit: async (): Promise<AuditView[]> => (await hubApi.audit()).filter((a) => a.action.startsWith('settlement.')),
};
