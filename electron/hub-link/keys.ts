import { createHash, generateKeyPairSync, randomBytes, sign as edSign, createPrivateKey } from 'node:crypto';
import { HUB_HEADERS, reenrolmentProofBase, signingBase } from '../../shared/hub-protocol';

/** The counter's Ed25519 identity: the public key goes to the hub at enrolment, the private key stays sealed here. */
export interface HubKeyPair {
  /** SPKI DER, base64: what the contract's enrolRequest.publicKey carries. */
  publicKey: string;
  /** PKCS#8 PEM: stored only through HubKeyVault (sealed with the other secrets). */
  privateKeyPem: string;
}

export function generateHubKeyPair(): HubKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Signs the new public key with the previous terminal's private key: the hub's proof that a re-enrolment is ours. */
export function proveReenrolment(previousPrivateKeyPem: string, newPublicKey: string): string {
  return edSign(null, Buffer.from(reenrolmentProofBase(newPublicKey), 'utf8'), createPrivateKey(previousPrivateKeyPem)).toString('base64url');
}

export function sha256Hex(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/**
 * The headers of a signed request (shared/hub-protocol.ts `signingBase`): terminal, timestamp (ms), a random
 * nonce, and the base64url Ed25519 signature over method, path with query, timestamp, nonce and the body's SHA-256
 * ('' for a request without a body).
 */
export function signedHeaders(
  privateKeyPem: string,
  terminalId: string,
  method: string,
  pathWithQuery: string,
  body: string | null,
  now: number,
): Record<string, string> {
  const nonce = randomBytes(16).toString('base64url');
  const base = signingBase(method, pathWithQuery, now, nonce, body === null ? '' : sha256Hex(body));
  const signature = edSign(null, Buffer.from(base, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64url');
  return {
    [HUB_HEADERS.terminal]: terminalId,
    [HUB_HEADERS.timestamp]: String(now),
    [HUB_HEADERS.nonce]: nonce,
    [HUB_HEADERS.signature]: signature,
  };
}
