import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { HUB_HEADERS, SIGNATURE_MAX_SKEW_MS, signingBase, terminalIdSchema } from '../../shared/hub-protocol';
import type { Clock } from '../../shared/clock';
import type { HubDb } from './db/database';
import { recordNonce } from './db/request-nonces';
import { findTerminal, touchTerminal, type TerminalRow } from './db/terminals';
import { HubHttpError } from './http/io';
import { sha256Hex } from './passwords';

export interface SignedRequest {
  method: string;
  pathWithQuery: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  /**
   * When the request arrived (the hub's clock as its headers were read), if the caller knows it: the timestamp is
   * checked against this, so a push that was fresh when it reached the hub is not refused for the time it then spent
   * inside the hub (its body streaming in behind other pushes on a busy hub). Waiting for the body is bounded by the
   * server's request timeout; a replay is still refused by its nonce, kept twice the allowed skew.
   */
  receivedAt?: number;
}

const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{80,100}$/;

const unauthenticated = (why: string): HubHttpError =>
  new HubHttpError(401, 'UNAUTHENTICATED', `终端身份验证失败 / Terminal authentication failed: ${why}`);

export const replayed = (): HubHttpError => unauthenticated('nonce already used (a replayed request)');

/**
 * Checks a signed counter request (shared/hub-protocol.ts): known terminal, timestamp within the allowed skew,
 * Ed25519 signature over `signingBase` with the terminal's enrolled key, then the nonce (recorded only after the
 * signature holds, so nobody can fill the nonce table with junk). A revoked terminal's correctly signed request
 * gets REVOKED; everything else wrong gets UNAUTHENTICATED with the reason (none of them leaks anything secret).
 */
export interface CounterAuthOptions {
  /**
   * The caller records the nonce and `last_seen_at` in its own transaction (the facts push: one commit per push
   * instead of three, each an fsync on SQLite); it must call `recordNonce` there and refuse a replay itself.
   */
  deferBookkeeping?: boolean;
}

export async function authenticateCounter(db: HubDb, clock: Clock, request: SignedRequest, options: CounterAuthOptions = {}): Promise<TerminalRow & { nonce: string }> {
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const terminalId = header(HUB_HEADERS.terminal);
  const timestampText = header(HUB_HEADERS.timestamp);
  const nonce = header(HUB_HEADERS.nonce);
  const signature = header(HUB_HEADERS.signature);
  if (!terminalId || !timestampText || !nonce || !signature) throw unauthenticated('missing signature headers');
  if (!terminalIdSchema.safeParse(terminalId).success || !NONCE.test(nonce) || !SIGNATURE.test(signature)) {
    throw unauthenticated('malformed signature headers');
  }
  const timestamp = /^\d{1,16}$/.test(timestampText) ? Number(timestampText) : NaN;
  const now = clock.now();
  const arrivedAt = request.receivedAt ?? now;
  if (!Number.isSafeInteger(timestamp) || Math.abs(arrivedAt - timestamp) > SIGNATURE_MAX_SKEW_MS) {
    // Its own code, so the counter keeps trying (with backoff) instead of stopping its link as for a stranger: a
    // counter PC whose clock drifted is still this terminal, and its facts must reach the hub once the clock is right.
    throw new HubHttpError(401, 'CLOCK_SKEW', '收银机时钟与总部相差超过 5 分钟，请校准收银机时间 / The counter\'s clock is more than 5 minutes off the hub\'s: set the counter\'s time');
  }
  const terminal = await findTerminal(db, terminalId);
  if (!terminal) throw unauthenticated('unknown terminal');
  const base = signingBase(request.method, request.pathWithQuery, timestamp, nonce, request.method.toUpperCase() === 'GET' ? '' : sha256Hex(request.rawBody));
  if (!verify(null, Buffer.from(base, 'utf8'), publicKeyOf(terminal.public_key), Buffer.from(signature, 'base64url'))) {
    throw unauthenticated('bad signature');
  }
  if (terminal.revoked_at !== null) {
    throw new HubHttpError(401, 'REVOKED', '此终端已在总部停用 / This terminal was revoked at the hub');
  }
  if (options.deferBookkeeping) return { ...terminal, nonce };
  if (!(await recordNonce(db, terminalId, nonce, now))) throw replayed();
  await touchTerminal(db, terminalId, now);
  return { ...terminal, nonce };
}

const keyCache = new Map<string, KeyObject>();

/** The enrolled key (SPKI DER, base64) as a KeyObject; parsed once per key. */
export function publicKeyOf(spkiBase64: string): KeyObject {
  let key = keyCache.get(spkiBase64);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' });
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(spkiBase64, key);
  }
  return key;
}

/** True when the text is an Ed25519 public key in SPKI DER, base64: the only kind of key a counter may enrol. */
export function isEd25519PublicKey(spkiBase64: string): boolean {
  try {
    return createPublicKey({ key: Buffer.from(spkiBase64, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}
