import { generateKeyPairSync } from 'node:crypto';

/** An RSA key pair no sandbox knows, for "wrong key" tests. Generated once per test file. */
const pair = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

export const otherPrivateKeyPem = (): string => pair.privateKey;
export const otherPublicKeyPem = (): string => pair.publicKey;
