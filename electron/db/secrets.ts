import type { Database } from 'better-sqlite3';
import type { SecretField } from '../../shared/security';

/** Fields kept in `secrets` that are not merchant credentials shown on the settings screen (migration 0011). */
export type InternalSecretField = 'hubPrivateKey';
export type StoredSecretField = SecretField | InternalSecretField;

export interface SecretRow {
  field: SecretField;
  ciphertext: Buffer;
  cipher: string;
  summary_zh: string;
  summary_en: string;
  facts: string;
  updated_at: number;
  updated_by: string;
}

export interface NewSecretRow {
  field: StoredSecretField;
  ciphertext: Buffer;
  cipher: string;
  summary: { zh: string; en: string };
  facts: Record<string, string | number>;
  updatedAt: number;
  updatedBy: string;
}

export function upsertSecret(db: Database, row: NewSecretRow): void {
  db.prepare(
    `INSERT INTO secrets (field, ciphertext, cipher, summary_zh, summary_en, facts, updated_at, updated_by)
     VALUES (@field, @ciphertext, @cipher, @zh, @en, @facts, @updatedAt, @updatedBy)
     ON CONFLICT(field) DO UPDATE SET ciphertext = excluded.ciphertext, cipher = excluded.cipher,
       summary_zh = excluded.summary_zh, summary_en = excluded.summary_en, facts = excluded.facts,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run({
    field: row.field,
    ciphertext: row.ciphertext,
    cipher: row.cipher,
    zh: row.summary.zh,
    en: row.summary.en,
    facts: JSON.stringify(row.facts),
    updatedAt: row.updatedAt,
    updatedBy: row.updatedBy,
  });
}

export function getSecretRow<F extends StoredSecretField>(db: Database, field: F): (Omit<SecretRow, 'field'> & { field: F }) | undefined {
  return db.prepare('SELECT * FROM secrets WHERE field = ?').get(field) as (Omit<SecretRow, 'field'> & { field: F }) | undefined;
}

export function listSecretRows(db: Database): SecretRow[] {
  // The merchant's credentials only: internal fields (the hub key) are not listed, shown or handed to WeChat.
  return db.prepare("SELECT * FROM secrets WHERE field <> 'hubPrivateKey' ORDER BY field").all() as SecretRow[];
}

export function deleteSecret(db: Database, field: SecretField): boolean {
  return db.prepare('DELETE FROM secrets WHERE field = ?').run(field).changes === 1;
}
