/**
 * The hub's tables as Kysely sees them. Every integer is a JS number on both engines: SQLite returns integers as
 * numbers, and the PostgreSQL pool parses BIGINT (int8) to a number after checking it is a safe integer (see
 * database.ts). Money is integer fen, times are integer ms since the epoch (UTC).
 */
export interface HubTables {
  hub_migrations: { version: number; name: string; applied_at: number };
  hub_meta: { key: string; value: string };
  users: {
    user_id: string;
    name: string;
    role: 'owner' | 'manager';
    password_hash: string;
    failed_sign_ins: number;
    last_failed_at: number | null;
    locked_until: number | null;
    created_at: number;
  };
  sessions: { token_hash: string; user_id: string; created_at: number; expires_at: number };
  stores: { store_id: string; name: string; created_at: number };
  pairing_codes: {
    code_hash: string;
    store_id: string;
    created_by: string;
    created_at: number;
    expires_at: number;
    used_at: number | null;
    used_by_terminal: string | null;
  };
  terminals: {
    terminal_id: string;
    store_id: string;
    counter_name: string;
    public_key: string;
    app_version: string;
    enrolled_at: number;
    revoked_at: number | null;
    high_water: number;
    last_seen_at: number | null;
  };
  request_nonces: { terminal_id: string; nonce: string; seen_at: number };
  facts: {
    terminal_id: string;
    seq: number;
    store_id: string;
    kind: string;
    at: number;
    body: string;
    received_at: number;
  };
  heartbeats: { terminal_id: string; received_at: number; state: string };
  alerts: {
    alert_id: string;
    dedupe_key: string;
    kind: 'fact-gap' | 'fact-conflict';
    store_id: string | null;
    terminal_id: string | null;
    detail: string;
    raised_at: number;
  };
}
