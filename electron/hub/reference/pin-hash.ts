import { hashScrypt, type ScryptCost } from '../passwords';

/**
 * Staff PINs are hashed at the hub in exactly the counter's unpeppered format and cost (electron/security/pin.ts:
 * `scrypt$N$r$p$salt$hash`, N=2^14, r=8, p=1, 16-byte salt, 32-byte hash, base64url), so a counter can verify a
 * PIN set here offline. There is no pepper at the hub: each counter has its own, and it protects the hash it
 * receives on its own side (electron/hub-link/). The PIN itself is never stored, logged or returned.
 */
export const HUB_PIN_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };

export function hashStaffPin(pin: string): Promise<string> {
  return hashScrypt(pin, HUB_PIN_COST);
}
