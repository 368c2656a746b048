import type { FactKind } from '../../shared/hub-protocol';

/**
 * THE one place where a fact's body is checked against its kind before the hub stores it. Today it checks what
 * every kind shares: the text is JSON and an object. Per-kind body schemas come from `shared/hub-facts.ts` (written
 * with the counter's facts outbox); when it lands, each kind's schema is applied here and nowhere else.
 * Returns null when the body is acceptable, else a short reason (never the body itself: it may hold amounts or
 * masked payers, which the refusal log does not need).
 */
export function validateFactBody(kind: FactKind, body: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return `${kind} body is not JSON`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${kind} body is not a JSON object`;
  return null;
}
