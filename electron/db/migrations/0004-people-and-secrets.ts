import type { Migration } from '../migrate';

/**
 * Staff and the merchant's WeChat Pay credentials. PINs are kept only as salted scrypt hashes with their cost
 * parameters (`scrypt$N$r$p$salt$hash`), so the cost can be raised later without losing anyone's PIN. Secrets
 * are kept only as ciphertext from a SecretCipher (OS keychain via safeStorage, or a 0600 key file under the
 * web host) next to a masked summary the settings screen may show.
 */
export const migration0004PeopleAndSecrets: Migration = {
  version: 4,
  name: '0004-people-and-secrets',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 20),
        role TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'owner')),
        pin_hash TEXT NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
        must_change_pin INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1)),
        failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        locked_until INTEGER,
        last_sign_in_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX users_active_name ON users (name) WHERE active = 1;

      CREATE TABLE secrets (
        field TEXT PRIMARY KEY CHECK (field IN ('apiKeyV2', 'apiV3Key', 'merchantPrivateKeyPem', 'merchantCertSerial',
          'wechatPayPublicKeyPem', 'wechatPayPublicKeyId', 'platformCertificates', 'clientCertPem', 'clientKeyPem')),
        ciphertext BLOB NOT NULL,
        -- Which cipher wrote it (SecretCipher.describe()), to explain an unreadable value after a move.
        cipher TEXT NOT NULL,
        summary_zh TEXT NOT NULL,
        summary_en TEXT NOT NULL,
        -- Not secret, kept in clear for consistency checks without decrypting: certificate serials, fingerprints.
        facts TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(facts)),
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL
      ) STRICT;
    `);
  },
};
