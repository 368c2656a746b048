import type { ClearanceOutcome, RefundClearanceGate } from '../payments/refund-clearance';
import { HubCallError, type HubClient, type HubIdentity } from './client';

export interface RefundClearanceDeps {
  client: HubClient;
  /** The counter's signed identity (HubLink.currentIdentity): null when it never enrolled or was stopped. */
  identity: () => HubIdentity | null;
  /** Enrolled with a hub at all (even stopped: money may have been split; the refund then waits, saying so). */
  enrolled: () => boolean;
  /** The store's payments are made with profit sharing on (settings `wechat.profitSharing`). */
  profitSharing: () => boolean;
}

/**
 * The counter's side of the refund clearance (electron/payments/refund-clearance.ts says when and why): the signed
 * `POST settlement/refund-clearance`, every way it can end turned into an outcome the refund job can act on.
 */
export function hubRefundClearance(deps: RefundClearanceDeps): RefundClearanceGate {
  return {
    required: () => deps.enrolled() && deps.profitSharing(),
    async ask(request): Promise<ClearanceOutcome> {
      const identity = deps.identity();
      if (!identity) return { kind: 'stopped', detail: 'not enrolled, stopped, or the hub key cannot be read' };
      try {
        const answer = await deps.client.refundClearance(identity, request);
        return { kind: 'answer', clear: answer.clear, returns: answer.returns };
      } catch (error) {
        if (!(error instanceof HubCallError)) return { kind: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
        if (error.stopsTheLink) return { kind: 'stopped', detail: error.message };
        if (error.status === 409 || error.status === 429) return { kind: 'busy', message: error.message };
        if (error.retryable || error.kind !== 'http' || error.status === null) return { kind: 'unreachable', detail: error.message };
        return { kind: 'refused', status: error.status, message: error.message };
      }
    },
  };
}
