import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_COST, PinHasher } from '../../../electron/security/pin';
import { hashStaffPin } from '../../../electron/hub/reference/pin-hash';

describe('a PIN hash made at the hub, kept at a counter', () => {
  it('is wrapped with the counter\'s pepper and still verifies the PIN, not another', async () => {
    const pepper = randomBytes(32);
    const hasher = new PinHasher(DEFAULT_SCRYPT_COST, () => pepper);
    const hubHash = await hashStaffPin('482615');
    const kept = hasher.wrapHubHash(hubHash) ?? '';
    expect(kept).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+\$h1$/);
    // Same salt and cost, but not the hub's scrypt output: a copied database alone has nothing to guess against.
    expect(kept.split('$')[4]).toBe(hubHash.split('$')[4]);
    expect(kept.split('$')[5]).not.toBe(hubHash.split('$')[5]);
    expect(hasher.verify('482615', kept)).toBe(true);
    expect(hasher.verify('482616', kept)).toBe(false);
    expect(hasher.needsRehash(kept)).toBe(false);
  });

  it('does not verify without the pepper that wrapped it, nor with another', async () => {
    const kept = new PinHasher(DEFAULT_SCRYPT_COST, () => randomBytes(32)).wrapHubHash(await hashStaffPin('4826')) ?? '';
    expect(new PinHasher(DEFAULT_SCRYPT_COST, () => null).verify('4826', kept)).toBe(false);
    expect(new PinHasher(DEFAULT_SCRYPT_COST, () => randomBytes(32)).verify('4826', kept)).toBe(false);
  });

  it('is kept as it came where the counter has no pepper, and a malformed one is refused', async () => {
    const hasher = new PinHasher(DEFAULT_SCRYPT_COST, () => null);
    const hubHash = await hashStaffPin('4826');
    expect(hasher.wrapHubHash(hubHash)).toBe(hubHash);
    expect(hasher.verify('4826', hubHash)).toBe(true);
    for (const bad of ['', 'scrypt$16384$8$1$$', 'bcrypt$x', `${hubHash}$k1`, 'scrypt$99999999$8$1$c2FsdA$aGFzaA']) {
      expect(new PinHasher(DEFAULT_SCRYPT_COST, () => randomBytes(32)).wrapHubHash(bad), bad).toBeNull();
    }
  });
});
