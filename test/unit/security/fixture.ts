import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import type { Database } from '../../../electron/db/open';
import { openDatabase } from '../../../electron/db/open';
import type { Migration } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations/index';
import type { CipherUnavailableError, SecretCipher } from '../../../electron/security/cipher';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import type { ScryptCost } from '../../../electron/security/pin';
import { createSecurity, type Security } from '../../../electron/security/security';
import { defaultSecuritySettings, type SecuritySettings } from '../../../electron/security/security-settings';
import { ManualClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { RiskAlertView } from '../../../shared/security';

/** Cheap enough for dozens of PIN checks per test; production uses N = 2^14. */
export const TEST_SCRYPT: ScryptCost = { N: 256, r: 8, p: 1 };

/** The app's own migrations: the security tables are versions 4 and 5 of them. */
export function securityMigrations(): readonly Migration[] {
  return appMigrations;
}

export function openSecurityDb(file = ':memory:'): Database {
  return openDatabase(file, securityMigrations());
}

export function tempDir(prefix = 'security-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Harness {
  security: Security;
  db: Database;
  clock: ManualClock;
  settings: SecuritySettings;
  logger: MemoryLogger;
  dataDir: string;
  demo: { allowed: boolean };
}

export interface HarnessOptions {
  demo?: boolean;
  cipher?: SecretCipher | CipherUnavailableError;
  dbFile?: string;
  dataDir?: string;
  onAlert?: (alert: RiskAlertView) => void;
}

export function makeHarness(options: HarnessOptions = {}): Harness {
  const dataDir = options.dataDir ?? tempDir();
  const db = openSecurityDb(options.dbFile ?? ':memory:');
  const clock = new ManualClock(Date.UTC(2026, 4, 1, 2, 0, 0));
  const logger = new MemoryLogger();
  const settings = defaultSecuritySettings();
  const demo = { allowed: options.demo ?? false };
  const cipher = options.cipher ?? openKeyFileCipher(join(dataDir, 'secret.key'), { logger });
  const security = createSecurity({
    db,
    dataDir,
    clock,
    logger,
    settings: () => settings,
    demoAllowed: () => demo.allowed,
    cipher,
    scryptCost: TEST_SCRYPT,
    onAlert: options.onAlert,
  });
  return { security, db, clock, settings, logger, dataDir, demo };
}

/** A live install with its owner, a manager and a cashier. */
export function withStaff(h: Harness): { ownerId: string; managerId: string; cashierId: string; approve: (action: Parameters<Security['approvals']['approve']>[0]['action'], pin?: string, subject?: string) => string } {
  const owner = h.security.people.createOwner('老板', '246813');
  const approve = (action: Parameters<Security['approvals']['approve']>[0]['action'], pin = '246813', subject?: string): string =>
    h.security.approvals.approve({ action, pin, subject }).token;
  const ownerActor = { id: owner.id, name: owner.name };
  const manager = h.security.people.createUser({ name: '王店长', role: 'manager', pin: '135792' }, approve('user-manage'), ownerActor);
  const cashier = h.security.people.createUser({ name: '李收银', role: 'cashier', pin: '4826' }, approve('user-manage'), ownerActor);
  return { ownerId: owner.id, managerId: manager.id, cashierId: cashier.id, approve };
}

export interface TestCredentials {
  privateKeyPem: string;
  publicKeyPem: string;
  certPem: string;
  serial: string;
  p12Base64: string;
  p12Password: string;
  apiKeyV2: string;
  apiV3Key: string;
  wechatPayPublicKeyPem: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const randomAlnum = (length: number): string => Array.from(randomBytes(length), (b) => ALNUM[b % ALNUM.length]).join('');

/** A merchant API certificate and key as WeChat Pay issues them (RSA 2048), also packed as a legacy 3DES .p12. */
export function makeTestCredentials(mchid = '1900000109', now = Date.UTC(2026, 4, 1)): TestCredentials {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const wechatPay = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  const serial = `5A${randomBytes(19).toString('hex').toUpperCase()}`;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(now - 86_400_000);
  cert.validity.notAfter = new Date(now + 5 * 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: mchid }, { name: 'organizationName', value: 'Tenpay.com Test' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forgeKey, forge.md.sha256.create());
  const p12Password = mchid;
  const p12 = forge.pkcs12.toPkcs12Asn1(forgeKey, [cert], p12Password, { algorithm: '3des' });
  return {
    privateKeyPem,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    certPem: forge.pki.certificateToPem(cert),
    serial,
    p12Base64: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary').toString('base64'),
    p12Password,
    apiKeyV2: randomAlnum(32),
    apiV3Key: randomAlnum(32),
    wechatPayPublicKeyPem: wechatPay.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Lets the terminal's backoff wait pass (no PIN is checked during it), as a patient person at the keypad would. */
export function waitOutBackoff(h: Harness): void {
  const until = h.security.pinGuard.view().waitUntil;
  if (until !== null) h.clock.advance(until - h.clock.now());
}
