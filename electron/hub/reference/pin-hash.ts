import { randomBytes, scrypt } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pin: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/**
 * Staff PINs are hashed at the hub in exactly the counter's unpeppered format and cost (electron/security/pin.ts:
 * `scrypt$N$r$p$salt$hash`, N=2^14, r=8, p=1, 16-byte salt, 32-byte hash, base64url), so a counter can verify a
 * PIN set here offline. There is no pepper at the hub: each counter has its own, and it protects the hash it
 * receives on its own side (electron/hub-link/). The PIN itself is never stored, logged or returned.
 */
export const HUB_PIN_COST = { N: 2 ** 14, r: 8, p: 1 };

export async function hashStaffPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(pin, salt, 32, { ...HUB_PIN_COST, maxmem: 256 * HUB_PIN_COST.N * HUB_PIN_COST.r });
  return ['scrypt', HUB_PIN_COST.N, HUB_PIN_COST.r, HUB_PIN_COST.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}
