import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * PINs are kept as `scrypt$N$r$p$salt$hash` (base64url salt and hash). The cost travels with the hash, so raising
 * it later only affects new hashes and old PINs keep working. Hashing is synchronous on purpose: a PIN check and
 * the failure count it leads to happen as one uninterrupted step, so parallel guesses cannot slip past the
 * lockout, and ~16 MiB / a few tens of ms per check is nothing at a counter.
 */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export function hashPin(pin: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): string {
  const salt = randomBytes(SALT_BYTES);
  const hash = scryptSync(pin, salt, KEY_BYTES, { N: cost.N, r: cost.r, p: cost.p, maxmem: 128 * cost.N * cost.r * 2 });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 2 ** 20) return null;
  return { cost: { N, r, p }, salt: Buffer.from(parts[4] ?? '', 'base64url'), hash: Buffer.from(parts[5] ?? '', 'base64url') };
}

/** Constant-time comparison; a malformed stored hash never matches, nor does a peppered one (see PinHasher). */
export function verifyPin(pin: string, stored: string): boolean {
  return new PinHasher(DEFAULT_SCRYPT_COST, () => null).verify(pin, stored);
}

/** True when the stored hash used a lower cost than now configured: rehash on the next correct PIN. */
export function needsRehash(stored: string, cost: ScryptCost): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p;
}

const PEPPER_MARK = 'k1';
/** A hub-made hash kept at this counter: its scrypt output wrapped with this counter's pepper (see wrapHubHash). */
const HUB_WRAP_MARK = 'h1';

/**
 * PIN hashes with a pepper: the scrypt input is HMAC-SHA256(pepper, PIN) and the stored hash ends in `$k1`. The
 * pepper is a random secret kept by the secret store (OS keychain, or the web host's key file), never in the
 * database, so a copied database or backup alone cannot be brute-forced offline (a 4-digit PIN's scrypt hash
 * falls in minutes otherwise). Hashes from before the pepper (six fields, no mark) still verify and are re-hashed
 * with the pepper at the next correct PIN. Without a pepper (no keychain on this machine) hashes stay unpeppered;
 * a peppered hash never verifies without the pepper that made it (restored onto another install: PINs must be
 * set again).
 */
export class PinHasher {
  constructor(
    readonly cost: ScryptCost,
    private readonly pepper: () => Buffer | null,
  ) {}

  hash(pin: string): string {
    const pepper = this.pepper();
    const plain = pepper ? hashPin(peppered(pin, pepper), this.cost) : hashPin(pin, this.cost);
    return pepper ? `${plain}$${PEPPER_MARK}` : plain;
  }

  verify(pin: string, stored: string): boolean {
    const parts = stored.split('$');
    if (parts.length === 7) {
      const pepper = this.pepper();
      if (!pepper) return false;
      if (parts[6] === HUB_WRAP_MARK) return checkWrappedScrypt(pin, parts.slice(0, 6).join('$'), pepper);
      if (parts[6] !== PEPPER_MARK) return false;
      return checkScrypt(peppered(pin, pepper), parts.slice(0, 6).join('$'));
    }
    return checkScrypt(pin, stored);
  }

  /**
   * Keeps a PIN hash made at the hub (`scrypt$N$r$p$salt$hash`, unpeppered: every counter of the store must verify
   * it) under this counter's protection: the scrypt output is replaced by HMAC-SHA256(pepper, output) and the hash
   * ends in `$h1`. A PIN still verifies offline (scrypt with the hub's salt and cost, then the HMAC), but a copied
   * counter database or backup without the pepper gives nothing to guess against, exactly as for the counter's own
   * `$k1` hashes. The hub's hash cannot be peppered at the hub (the pepper never leaves this counter) and must not
   * be re-hashed here (the hub's copy is the truth: the next pull would bring it back). Without a pepper (no
   * keychain here) it is kept as it came, like this counter's own hashes then. Null for a malformed hash.
   */
  wrapHubHash(hubHash: string): string | null {
    const parsed = parseHash(hubHash);
    if (!parsed || parsed.hash.length !== KEY_BYTES || parsed.salt.length === 0) return null;
    const pepper = this.pepper();
    if (!pepper) return hubHash;
    const { N, r, p } = parsed.cost;
    return ['scrypt', N, r, p, parsed.salt.toString('base64url'), wrapped(parsed.hash, pepper).toString('base64url'), HUB_WRAP_MARK].join('$');
  }

  /** Names the pepper that wrapHubHash uses now (not the pepper itself): 'none' without one. */
  wrapTag(): string {
    const pepper = this.pepper();
    return pepper ? createHmac('sha256', pepper).update('hub-pin-wrap-tag').digest('base64url').slice(0, 16) : 'none';
  }

  /** A lower cost than configured, or no pepper while one is available: re-hash at the next correct PIN. */
  needsRehash(stored: string): boolean {
    const parts = stored.split('$');
    if (parts[6] === HUB_WRAP_MARK) return false;
    if (parts.length !== 7 && this.pepper() !== null) return true;
    return needsRehash(parts.slice(0, 6).join('$'), this.cost);
  }

  /** Spends the same time as a real check, so an unknown user id is not told apart by timing. */
  burn(pin: string): void {
    burnPinCheck(pin, this.cost);
  }
}

function peppered(pin: string, pepper: Buffer): string {
  return createHmac('sha256', pepper).update(pin, 'utf8').digest('base64url');
}

function wrapped(scryptOutput: Buffer, pepper: Buffer): Buffer {
  return createHmac('sha256', pepper).update('hub-pin-hash\0').update(scryptOutput).digest();
}

function checkWrappedScrypt(pin: string, stored: string, pepper: Buffer): boolean {
  const parsed = parseHash(stored);
  if (!parsed || parsed.hash.length !== 32) return false;
  const { N, r, p } = parsed.cost;
  const candidate = scryptSync(pin, parsed.salt, KEY_BYTES, { N, r, p, maxmem: 128 * N * r * 2 });
  return timingSafeEqual(wrapped(candidate, pepper), parsed.hash);
}

function checkScrypt(pin: string, stored: string): boolean {
  const parsed = parseHash(stored);
  if (!parsed || parsed.hash.length === 0) return false;
  const { N, r, p } = parsed.cost;
  const candidate = scryptSync(pin, parsed.salt, parsed.hash.length, { N, r, p, maxmem: 128 * N * r * 2 });
  return timingSafeEqual(candidate, parsed.hash);
}

/** Spends the same time as a real check, so an unknown user id is not told apart by timing. */
export function burnPinCheck(pin: string, cost: ScryptCost): void {
  scryptSync(pin, 'no-such-user-salt', KEY_BYTES, { N: cost.N, r: cost.r, p: cost.p, maxmem: 128 * cost.N * cost.r * 2 });
}

// The PIN rules are shared with the hub, which checks PINs set there against the same rules.
export { pinProblem } from '../../shared/pin-rules';
