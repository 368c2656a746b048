import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import type { Localized } from '../../shared/i18n';
import type { Logger } from '../../shared/log';
import { SECRET_FIELDS, type SecretField, type SecretFieldStatus, type SecretsStatus } from '../../shared/security';
import { randomBytes } from 'node:crypto';
import { getMeta, getOrCreateMeta, setMeta } from '../db/app-meta';
import { deleteSecret, getSecretRow, listSecretRows, upsertSecret, type SecretRow } from '../db/secrets';
import type { WechatCredentials } from '../wechat/types';
import { AUDIT_ACTIONS, type Actor, type AuditLog } from './audit-log';
import { requireApproval, type ApprovalGate } from './approvals';
import { CipherUnavailableError, type SecretCipher } from './cipher';
import { SecurityError } from './errors';
import { validateSecret, type SecretInput } from './secret-validation';

export interface SecretStoreDeps {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  approvals: ApprovalGate;
  /** The cipher, or why there is none on this machine (then nothing can be stored). */
  cipher: SecretCipher | CipherUnavailableError;
  logger: Logger;
}

const EXPIRY_WARNING_MS = 30 * 24 * 60 * 60 * 1000;
const UNSET: Localized = { zh: '未设置', en: 'not set' };
const UNREADABLE: Localized = { zh: '无法解密（密钥已更换或丢失），请重新输入', en: 'cannot be decrypted (key changed or lost): enter it again' };

interface Envelope {
  v: 1;
  field: SecretField | typeof PEPPER_FIELD | typeof HUB_KEY_FIELD;
  value: string;
}

/** The PIN pepper is sealed like a credential, under its own field name, and kept in app_meta. */
const PEPPER_FIELD = 'pinPepper';
/** Where the sealed PIN pepper is kept in app_meta (read by the restore to tell whether PINs survive it). */
export const PIN_PEPPER_META_KEY = 'security.pin-pepper';

/** The counter's Ed25519 key for the hub (electron/hub-link/): sealed like a credential, not shown on the secrets screen. */
const HUB_KEY_FIELD = 'hubPrivateKey';

/** Whether PINs can be peppered here: yes; no keychain (unpeppered); or sealed by another install (PINs must be set again). */
export type PinPepperState = 'ready' | 'no-cipher' | 'unreadable';

/**
 * The merchant's WeChat Pay credentials, encrypted at rest. Values go in through `replace` (validated, approved
 * by a manager, audit-logged) and come out only through `credentials()`, for the WeChat client on the main side.
 * `describe()` is what windows see: masked summaries, never a value. Each value is sealed together with its field
 * name, so a ciphertext copied onto another field is refused.
 */
export class SecretStore {
  private pepper: Buffer | null | undefined;

  constructor(private readonly deps: SecretStoreDeps) {}

  /**
   * The secret mixed into every PIN hash (electron/security/pin.ts PinHasher): 32 random bytes made on first use,
   * sealed with this machine's cipher, so the database alone (a copy, a backup) does not give up PINs. null when
   * there is no cipher here, or when the stored pepper was sealed elsewhere (a database restored from another
   * install): it is then never replaced, peppered PINs do not verify, and `pinPepperState()` says 'unreadable'.
   */
  pinPepper(): Buffer | null {
    if (this.pepper !== undefined) return this.pepper;
    const { cipher, db } = this.deps;
    if (cipher instanceof CipherUnavailableError) return (this.pepper = null);
    const sealed = getOrCreateMeta(db, PIN_PEPPER_META_KEY, () => {
      const envelope: Envelope = { v: 1, field: PEPPER_FIELD, value: randomBytes(32).toString('base64') };
      return cipher.encrypt(Buffer.from(JSON.stringify(envelope), 'utf8')).toString('base64');
    });
    const value = this.openSealed(Buffer.from(sealed, 'base64'), PEPPER_FIELD);
    if (value === null) this.deps.logger.error('PIN pepper cannot be decrypted on this machine: PINs must be set again', {});
    this.pepper = value === null ? null : Buffer.from(value, 'base64');
    return this.pepper;
  }

  /**
   * Only when the stored pepper was sealed elsewhere: a new one replaces it (the old PINs could never be checked
   * here again anyway). Called when the owner is created again after such a restore (PeopleService.createOwner).
   */
  renewPinPepper(): void {
    if (this.pinPepperState() !== 'unreadable') return;
    const cipher = this.requireCipher();
    const envelope: Envelope = { v: 1, field: PEPPER_FIELD, value: randomBytes(32).toString('base64') };
    setMeta(this.deps.db, PIN_PEPPER_META_KEY, cipher.encrypt(Buffer.from(JSON.stringify(envelope), 'utf8')).toString('base64'));
    this.pepper = undefined;
  }

  pinPepperState(): PinPepperState {
    if (this.deps.cipher instanceof CipherUnavailableError) return 'no-cipher';
    const sealed = getMeta(this.deps.db, PIN_PEPPER_META_KEY);
    if (sealed === undefined) return 'ready';
    return this.openSealed(Buffer.from(sealed, 'base64'), PEPPER_FIELD) === null ? 'unreadable' : 'ready';
  }

  describe(): SecretsStatus {
    const { cipher } = this.deps;
    const rows = new Map(listSecretRows(this.deps.db).map((row) => [row.field, row]));
    const fields = SECRET_FIELDS.map((field): SecretFieldStatus => {
      const row = rows.get(field);
      if (!row) return { field, state: 'unset', summary: UNSET, updatedAt: null, updatedBy: null };
      const readable = this.open(row) !== null;
      return {
        field,
        state: readable ? 'set' : 'unreadable',
        summary: readable ? { zh: row.summary_zh, en: row.summary_en } : UNREADABLE,
        updatedAt: row.updated_at,
        updatedBy: row.updated_by,
      };
    });
    return {
      storage: cipher instanceof CipherUnavailableError ? '—' : cipher.describe(),
      available: !(cipher instanceof CipherUnavailableError),
      problem: cipher instanceof CipherUnavailableError ? cipher.reason : null,
      fields,
      warnings: this.consistencyWarnings(rows),
    };
  }

  /** Validates, needs a manager's approval for 'settings-change', stores encrypted, audit-logs the masked summary. */
  replace(input: SecretInput, approvalToken: string | undefined, actor: Actor): SecretsStatus {
    const cipher = this.requireCipher();
    const field = input.field;
    const approval = requireApproval(this.deps.approvals, approvalToken, 'settings-change', { subject: `secret:${field}` });
    const validated = validateSecret(input, this.deps.clock.now());
    const { db, clock, audit } = this.deps;
    db.transaction(() => {
      for (const secret of validated) {
        const envelope: Envelope = { v: 1, field: secret.field, value: secret.value };
        upsertSecret(db, {
          field: secret.field,
          ciphertext: cipher.encrypt(Buffer.from(JSON.stringify(envelope), 'utf8')),
          cipher: cipher.describe(),
          summary: secret.summary,
          facts: secret.facts,
          updatedAt: clock.now(),
          updatedBy: actor.id,
        });
        audit.append(actor, AUDIT_ACTIONS.secretReplaced, { field: secret.field, summary: secret.summary.en, approvedBy: approval.managerId });
      }
    })();
    return this.describe();
  }

  clear(field: SecretField, approvalToken: string | undefined, actor: Actor): SecretsStatus {
    const approval = requireApproval(this.deps.approvals, approvalToken, 'settings-change', { subject: `secret:${field}` });
    const { db, audit } = this.deps;
    db.transaction(() => {
      if (deleteSecret(db, field)) audit.append(actor, AUDIT_ACTIONS.secretCleared, { field, approvedBy: approval.managerId });
    })();
    return this.describe();
  }

  /**
   * The credentials for the WeChat Pay client, merged with the non-secret ids from settings. Main side only:
   * never return this from an API handler. Unreadable fields are left out (and logged by name).
   */
  credentials(base: Pick<WechatCredentials, 'mchid' | 'appid' | 'v2SignType'>): WechatCredentials {
    this.requireCipher();
    const out: WechatCredentials = { ...base };
    for (const row of listSecretRows(this.deps.db)) {
      const value = this.open(row);
      if (value === null) {
        this.deps.logger.warn('stored credential cannot be decrypted', { field: row.field });
        continue;
      }
      if (row.field === 'platformCertificates') out.platformCertificates = JSON.parse(value) as { serial: string; pem: string }[];
      else out[row.field] = value;
    }
    return out;
  }

  /** Whether a field holds a readable value (for “test connection” to say what is missing). */
  has(field: SecretField): boolean {
    const row = getSecretRow(this.deps.db, field);
    return row !== undefined && this.open(row) !== null;
  }

  /** Seals the hub link's private key (made at enrolment); inside the caller's transaction when there is one. */
  saveHubPrivateKey(privateKeyPem: string, by: string): void {
    const cipher = this.requireCipher();
    const envelope: Envelope = { v: 1, field: HUB_KEY_FIELD, value: privateKeyPem };
    upsertSecret(this.deps.db, {
      field: HUB_KEY_FIELD,
      ciphertext: cipher.encrypt(Buffer.from(JSON.stringify(envelope), 'utf8')),
      cipher: cipher.describe(),
      summary: { zh: '总部密钥（已设置）', en: 'hub key (set)' },
      facts: {},
      updatedAt: this.deps.clock.now(),
      updatedBy: by,
    });
  }

  /** The hub link's private key, or null when none is stored or it cannot be decrypted here. */
  hubPrivateKey(): string | null {
    const row = getSecretRow(this.deps.db, HUB_KEY_FIELD);
    return row ? this.openSealed(row.ciphertext, HUB_KEY_FIELD) : null;
  }

  private requireCipher(): SecretCipher {
    const { cipher } = this.deps;
    if (cipher instanceof CipherUnavailableError) throw new SecurityError('SECRETS_UNAVAILABLE', cipher.reason);
    return cipher;
  }

  /** The plain value, or null when it cannot be decrypted here or was sealed for another field. */
  private open(row: SecretRow): string | null {
    return this.openSealed(row.ciphertext, row.field);
  }

  private openSealed(sealed: Buffer, field: Envelope['field']): string | null {
    const { cipher } = this.deps;
    if (cipher instanceof CipherUnavailableError) return null;
    try {
      const envelope = JSON.parse(cipher.decrypt(sealed).toString('utf8')) as Partial<Envelope>;
      return envelope.v === 1 && envelope.field === field && typeof envelope.value === 'string' ? envelope.value : null;
    } catch {
      return null;
    }
  }

  private consistencyWarnings(rows: Map<SecretField, SecretRow>): Localized[] {
    const facts = (field: SecretField): Record<string, string | number> =>
      JSON.parse(rows.get(field)?.facts ?? '{}') as Record<string, string | number>;
    const warnings: Localized[] = [];
    const cert = facts('clientCertPem');
    const clientKey = facts('clientKeyPem');
    const merchantKey = facts('merchantPrivateKeyPem');
    const serial = facts('merchantCertSerial');
    if (cert.publicKeySha256 && clientKey.publicKeySha256 && cert.publicKeySha256 !== clientKey.publicKeySha256) {
      warnings.push({ zh: 'v2 客户端证书与其私钥不匹配', en: 'The v2 client certificate does not match its private key' });
    }
    if (cert.publicKeySha256 && merchantKey.publicKeySha256 && cert.publicKeySha256 !== merchantKey.publicKeySha256) {
      warnings.push({ zh: '商户私钥与商户 API 证书不匹配', en: 'The merchant private key does not match the merchant API certificate' });
    }
    if (cert.serial && serial.serial && cert.serial !== serial.serial) {
      warnings.push({ zh: '商户证书序列号与商户 API 证书不一致', en: 'The merchant certificate serial differs from the merchant API certificate' });
    }
    const now = this.deps.clock.now();
    for (const field of ['clientCertPem', 'platformCertificates'] as const) {
      const notAfter = Number(facts(field).notAfter ?? NaN);
      if (Number.isFinite(notAfter) && notAfter - now < EXPIRY_WARNING_MS) {
        warnings.push(notAfter < now
          ? { zh: `${field} 证书已过期`, en: `${field}: the certificate has expired` }
          : { zh: `${field} 证书将在 30 天内过期`, en: `${field}: the certificate expires within 30 days` });
      }
    }
    return warnings;
  }
}
