import { fen, type Fen } from './money';

/**
 * Settlement split rules (分账规则): per store, who receives what of each paid order, and the arithmetic that turns
 * them into whole fen. Pure: the hub's settlement runs and the head office's pages use the same functions.
 *
 * Rounding, stated once:
 * 1. Percentage rules are shares of the order amount. The exact shares of every percentage receiver and of the
 *    store (which keeps the rest, 100 % minus the percentages) are floored to the fen; the fen left over go one each
 *    to the largest remainders (ties: rule order, the store last). So the percentage parts and the store's rest
 *    always add up to the order amount exactly.
 * 2. Fixed fees (per transaction) are then taken from the store's rest, in rule order, as far as the rest goes
 *    (a fee larger than what is left is cut, and the cut is reported as a shortfall).
 * 3. WeChat refuses a split above the order's maximum share ratio (30 % unless the merchant changed it). When the
 *    receivers' total exceeds that cap, every receiver's part is scaled down to fit it, by the same largest
 *    remainder method (weights: the parts before capping); what is cut is reported as a shortfall.
 * Parts of 0 fen are left out (WeChat accepts only positive amounts). Invariant: Σ parts + store keeps = amount,
 * Σ parts ≤ cap, each part ≥ 1.
 */

export type ReceiverKind = 'MERCHANT_ID' | 'PERSONAL_OPENID';
export type SplitShare = { kind: 'percent'; basisPoints: number } | { kind: 'fixed'; fen: Fen };

export interface SplitRule {
  /** The receiver's WeChat account (a merchant id for MERCHANT_ID). */
  account: string;
  type: ReceiverKind;
  /** As WeChat names it: STORE_OWNER, HEADQUARTER, BRAND… */
  relationType: string;
  share: SplitShare;
  /** Shown in WeChat's split record and bill (at most 80 characters). */
  description: string;
}

export interface StoreSplitRules {
  storeId: string;
  /** yyyy-MM-dd (Beijing): orders paid on or after this day follow these rules, until a later set takes over. */
  effectiveFrom: string;
  rules: SplitRule[];
}

/** 30 % in basis points: WeChat Pay's default maximum share ratio. */
export const DEFAULT_MAX_SHARE_BASIS_POINTS = 3_000;
const WHOLE = 10_000;
/** Keeps every product below 2^53: ¥1,000,000,000.00. */
const MAX_AMOUNT_FEN = 100_000_000_000;

export interface SplitPart {
  account: string;
  type: ReceiverKind;
  description: string;
  amountFen: Fen;
  /** What the rule asked for and the cap or the order's size did not allow. */
  shortfallFen: Fen;
}

export interface SplitResult {
  parts: SplitPart[];
  /** What stays with the store's merchant (unfrozen after the split). */
  storeKeepsFen: Fen;
  /** Receivers' total was cut to the cap. */
  capped: boolean;
}

export class SplitRuleError extends Error {
  override readonly name = 'SplitRuleError';
}

/** Every problem of a rule set, in words (empty when it can be used). */
export function splitRuleProblems(rules: readonly SplitRule[], capBasisPoints = DEFAULT_MAX_SHARE_BASIS_POINTS): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  let percent = 0;
  for (const [i, rule] of rules.entries()) {
    const at = `rule ${i + 1}`;
    if (rule.account.trim() === '') problems.push(`${at}: no receiver account`);
    if (seen.has(rule.account)) problems.push(`${at}: receiver ${rule.account} appears twice`);
    seen.add(rule.account);
    if (rule.type === 'MERCHANT_ID' && !/^\d{8,16}$/.test(rule.account)) problems.push(`${at}: a merchant id is 8–16 digits`);
    if (rule.description.trim() === '' || rule.description.length > 80) problems.push(`${at}: description must be 1–80 characters`);
    if (rule.share.kind === 'percent') {
      const bp = rule.share.basisPoints;
      if (!Number.isInteger(bp) || bp <= 0 || bp > WHOLE) problems.push(`${at}: a percentage is 0.01 %–100 % in whole basis points`);
      else percent += bp;
    } else if (!Number.isSafeInteger(rule.share.fen) || rule.share.fen <= 0) {
      problems.push(`${at}: a fixed fee is a positive whole number of fen`);
    }
  }
  if (rules.length > 50) problems.push('at most 50 receivers per split');
  if (percent > capBasisPoints) problems.push(`the percentages add up to more than the maximum share (${capBasisPoints / 100} %)`);
  if (!Number.isInteger(capBasisPoints) || capBasisPoints < 0 || capBasisPoints > WHOLE) problems.push('the maximum share must be 0–100 %');
  return problems;
}

/**
 * Distributes `pool` fen by integer `weights` with the largest remainder method; ties go to the lower index.
 * Returns whole fen summing to `pool` exactly. All weights 0 → all parts 0 (pool must then be 0).
 */
export function largestRemainder(pool: number, weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total === 0) {
    if (pool !== 0) throw new SplitRuleError('nothing to distribute by');
    return weights.map(() => 0);
  }
  const floors = weights.map((w) => Math.floor((pool * w) / total));
  const remainders = weights.map((w, i) => ({ i, rem: pool * w - (floors[i] ?? 0) * total }));
  let left = pool - floors.reduce((s, f) => s + f, 0);
  remainders.sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of remainders) {
    if (left === 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}

/** Splits one paid order by a store's rules (see the rounding rules at the top of this file). */
export function splitOrderAmount(amountFen: Fen, rules: readonly SplitRule[], capBasisPoints = DEFAULT_MAX_SHARE_BASIS_POINTS): SplitResult {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0 || amountFen > MAX_AMOUNT_FEN) throw new SplitRuleError('the order amount must be a positive whole number of fen');
  const problems = splitRuleProblems(rules, capBasisPoints);
  if (problems.length > 0) throw new SplitRuleError(problems.join('; '));

  // 1. Percentages of the whole, with the store as the last participant.
  const percentWeights = rules.map((r) => (r.share.kind === 'percent' ? r.share.basisPoints : 0));
  const storeWeight = WHOLE - percentWeights.reduce((s, w) => s + w, 0);
  const shares = largestRemainder(amountFen, [...percentWeights, storeWeight]);
  let rest = shares[rules.length] ?? 0;
  const wanted = rules.map((r, i) => (r.share.kind === 'percent' ? (shares[i] ?? 0) : r.share.fen));
  const given = rules.map((r, i) => (r.share.kind === 'percent' ? (shares[i] ?? 0) : 0));

  // 2. Fixed fees out of the store's rest, in rule order.
  rules.forEach((r, i) => {
    if (r.share.kind !== 'fixed') return;
    const fee = Math.min(r.share.fen, rest);
    given[i] = fee;
    rest -= fee;
  });

  // 3. The maximum share ratio.
  const cap = Math.floor((amountFen * capBasisPoints) / WHOLE);
  const total = given.reduce((s, g) => s + g, 0);
  const capped = total > cap;
  const final = capped ? largestRemainder(cap, given) : given;
  const receiversTotal = final.reduce((s, g) => s + g, 0);

  const parts: SplitPart[] = [];
  rules.forEach((r, i) => {
    const amount = final[i] ?? 0;
    if (amount <= 0) return;
    parts.push({ account: r.account, type: r.type, description: r.description, amountFen: fen(amount), shortfallFen: fen((wanted[i] ?? 0) - amount) });
  });
  return { parts, storeKeepsFen: fen(amountFen - receiversTotal), capped };
}

/** The rule set a store's order paid on `day` (yyyy-MM-dd) follows: the latest one effective by then, or null. */
export function rulesInEffect(sets: readonly StoreSplitRules[], storeId: string, day: string): StoreSplitRules | null {
  let best: StoreSplitRules | null = null;
  for (const set of sets) {
    if (set.storeId !== storeId || set.effectiveFrom > day) continue;
    if (best === null || set.effectiveFrom > best.effectiveFrom) best = set;
  }
  return best;
}
