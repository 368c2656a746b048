import { randomInt, verify } from 'node:crypto';
import { PAIRING_CODE_ALPHABET, reenrolmentProofBase, type EnrolAnswer, type EnrolRequest } from '../../shared/hub-protocol';
import type { Clock } from '../../shared/clock';
import type { HubDb } from './db/database';
import { consumePairingCode, insertPairingCode } from './db/pairing-codes';
import { findStore } from './db/stores';
import { findTerminal, insertTerminal } from './db/terminals';
import { HubHttpError, badRequest } from './http/io';
import { isEd25519PublicKey, publicKeyOf } from './counter-auth';
import { sha256Hex } from './passwords';

export const PAIRING_CODE_LENGTH = 10;
export const PAIRING_CODE_TTL_MS = 15 * 60_000;
/** Failed enrolments per address before it must wait; with 31^10 codes, guessing stays hopeless either way. */
export const ENROL_MAX_FAILURES = 5;
export const ENROL_FAILURE_WINDOW_MS = 15 * 60_000;
/** Terminal ids: 4 characters of the pairing alphabet (no look-alikes), drawn at random, unique by the key. */
const TERMINAL_ID_LENGTH = 4;

export function randomCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += PAIRING_CODE_ALPHABET[randomInt(PAIRING_CODE_ALPHABET.length)];
  return code;
}

/** ABCDE-FGHJK: easier to read aloud and type; the counter strips the dash (pairingCodeSchema). */
export function groupCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export async function createPairingCode(db: HubDb, clock: Clock, storeId: string, userId: string): Promise<{ code: string; expiresAt: number }> {
  if (!(await findStore(db, storeId))) throw new HubHttpError(404, 'NOT_FOUND', '没有这个门店 / No such store');
  const code = randomCode(PAIRING_CODE_LENGTH);
  const now = clock.now();
  const expiresAt = now + PAIRING_CODE_TTL_MS;
  await insertPairingCode(db, { code_hash: sha256Hex(code), store_id: storeId, created_by: userId, created_at: now, expires_at: expiresAt, used_at: null, used_by_terminal: null });
  return { code, expiresAt };
}

/**
 * Failed enrolments per remote address in a sliding window, in memory: a restart forgets them, which costs a
 * guesser a restart of the hub per 5 guesses out of 31^10. Every failure (wrong, used or expired code) counts.
 */
export class EnrolmentLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly clock: Clock) {}

  assertAllowed(address: string): void {
    const recent = this.recent(address);
    if (recent.length >= ENROL_MAX_FAILURES) {
      const retryAfterS = Math.ceil(((recent[0] ?? 0) + ENROL_FAILURE_WINDOW_MS - this.clock.now()) / 1000);
      throw new HubHttpError(429, 'RATE_LIMITED', '配对尝试过多，请稍后再试 / Too many pairing attempts: try again later', { 'retry-after': String(Math.max(1, retryAfterS)) });
    }
  }

  recordFailure(address: string): void {
    this.failures.set(address, [...this.recent(address), this.clock.now()]);
  }

  private recent(address: string): number[] {
    const since = this.clock.now() - ENROL_FAILURE_WINDOW_MS;
    const kept = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(address);
    else this.failures.set(address, kept);
    return kept;
  }
}

const codeInvalid = (): HubHttpError =>
  new HubHttpError(400, 'PAIRING_CODE_INVALID', '配对码无效、已使用或已过期 / The pairing code is wrong, used or expired');

/**
 * Enrols a counter: uses the code (one guarded UPDATE: single use even under a race), gives the counter a terminal
 * id unique in the chain and keeps its public key. All in one transaction: a failure leaves the code unused.
 */
export async function enrolTerminal(db: HubDb, clock: Clock, hubId: string, request: EnrolRequest): Promise<EnrolAnswer> {
  if (!isEd25519PublicKey(request.publicKey)) throw badRequest('publicKey is not an Ed25519 public key (SPKI DER, base64)');
  return db.transaction().execute(async (trx) => {
    const now = clock.now();
    const known = await trx.selectFrom('terminals').select('terminal_id').where('public_key', '=', request.publicKey).executeTakeFirst();
    if (known) throw badRequest('this key is already enrolled: make a new key pair for a new enrolment');
    const highWater = await continuedHighWater(trx, hubId, request);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const terminalId = randomCode(TERMINAL_ID_LENGTH);
      const storeId = await consumePairingCode(trx, sha256Hex(request.pairingCode), now, terminalId);
      if (storeId === undefined) throw codeInvalid();
      const inserted = await insertTerminal(trx, {
        terminal_id: terminalId, store_id: storeId, counter_name: request.counterName, public_key: request.publicKey,
        app_version: request.appVersion, enrolled_at: now, revoked_at: null, high_water: highWater, last_seen_at: now,
      });
      if (!inserted) {
        // The id was taken: give the code back inside this transaction and draw another id.
        await trx.updateTable('pairing_codes').set({ used_at: null, used_by_terminal: null }).where('code_hash', '=', sha256Hex(request.pairingCode)).execute();
        continue;
      }
      const store = await findStore(trx, storeId);
      return { terminalId, storeId, storeName: store?.name ?? '', hubId, highWater };
    }
    throw new HubHttpError(500, 'INTERNAL', '无法分配终端号 / Could not assign a terminal id');
  });
}

/**
 * Where a re-enrolling counter's facts continue: its previous terminal's high-water when it names one of this hub's
 * terminals and proves it holds that terminal's key (the previous terminal must be revoked: two live terminals would
 * push the same facts); 0 for a first enrolment, another hub's terminal, or one this hub does not know.
 */
async function continuedHighWater(db: HubDb, hubId: string, request: EnrolRequest): Promise<number> {
  const previous = request.previous;
  if (!previous || previous.hubId !== hubId) return 0;
  const old = await findTerminal(db, previous.terminalId);
  if (!old) return 0;
  let proven = false;
  try {
    proven = verify(null, Buffer.from(reenrolmentProofBase(request.publicKey), 'utf8'), publicKeyOf(old.public_key), Buffer.from(previous.proof, 'base64url'));
  } catch {
    proven = false;
  }
  if (!proven) throw badRequest('previous.proof is not a signature by the previous terminal\'s key');
  if (old.revoked_at === null) {
    throw new HubHttpError(409, 'PREVIOUS_TERMINAL_ACTIVE', `本机之前的终端 ${old.terminal_id} 仍在使用：请先在总部停用它 / This counter's previous terminal ${old.terminal_id} is still active: revoke it at the hub first`);
  }
  return old.high_water;
}
