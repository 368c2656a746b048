import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

/** The counter's one enrolment with a hub (migration 0011); the private key is in `secrets` ('hubPrivateKey'). */
export interface HubLinkRow {
  hub_url: string;
  hub_id: string;
  terminal_id: string;
  store_id: string;
  store_name: string;
  counter_name: string;
  public_key: string;
  enrolled_at: number;
  enrolled_by: string;
  stopped_at: number | null;
  stopped_reason: string | null;
}

export function getHubLink(db: Database): HubLinkRow | undefined {
  return cachedStatement(db, 'SELECT * FROM hub_link WHERE id = 1').get() as HubLinkRow | undefined;
}

/** Replaces the enrolment (a counter enrolled again, e.g. after a revocation, starts a fresh link). */
export function saveHubLink(db: Database, row: Omit<HubLinkRow, 'stopped_at' | 'stopped_reason'>): void {
  cachedStatement(
    db,
    `INSERT INTO hub_link (id, hub_url, hub_id, terminal_id, store_id, store_name, counter_name, public_key, enrolled_at, enrolled_by)
     VALUES (1, @hub_url, @hub_id, @terminal_id, @store_id, @store_name, @counter_name, @public_key, @enrolled_at, @enrolled_by)
     ON CONFLICT (id) DO UPDATE SET hub_url = excluded.hub_url, hub_id = excluded.hub_id, terminal_id = excluded.terminal_id,
       store_id = excluded.store_id, store_name = excluded.store_name, counter_name = excluded.counter_name,
       public_key = excluded.public_key, enrolled_at = excluded.enrolled_at, enrolled_by = excluded.enrolled_by,
       stopped_at = NULL, stopped_reason = NULL`,
  ).run(row);
}

/** The hub refused this terminal (revoked, or unknown): nothing more is sent until someone enrols again. */
export function stopHubLink(db: Database, reason: string, now: number): void {
  cachedStatement(db, 'UPDATE hub_link SET stopped_at = ?, stopped_reason = ? WHERE id = 1 AND stopped_at IS NULL').run(now, reason);
}
