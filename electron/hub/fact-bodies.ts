import { parseFactBody } from '../../shared/hub-facts';
import type { FactKind } from '../../shared/hub-protocol';

/**
 * THE one place where a fact's body is checked against its kind before the hub stores it: the per-kind schemas of
 * `shared/hub-facts.ts`, the same ones the counter's triggers are tested against.
 * Returns null when the body is acceptable, else a short reason naming the field (never the body itself: it may
 * hold amounts or masked payers, which the refusal log does not need).
 */
export function validateFactBody(kind: FactKind, body: string): string | null {
  const parsed = parseFactBody(kind, body);
  return parsed.ok ? null : parsed.error;
}
