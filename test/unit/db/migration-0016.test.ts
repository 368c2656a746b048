import { describe, expect, it } from 'vitest';
import { listFacts } from '../../../electron/db/facts';
import { migrate } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0016AttemptFactSentTime } from '../../../electron/db/migrations/0016-attempt-fact-sent-time';
import { openDatabase } from '../../../electron/db/open';
import { parseFactBody } from '../../../shared/hub-facts';
import { writeRealisticDay } from '../../helpers/fact-day';

describe('migration 0016-attempt-fact-sent-time', () => {
  it('is version 16 in the app list', () => {
    expect(appMigrations[15]).toBe(migration0016AttemptFactSentTime);
  });

  it('adds when the order was first sent to the wechat-attempt fact, leaving earlier facts as they were', () => {
    const db = openDatabase(':memory:', appMigrations.slice(0, 14));
    writeRealisticDay(db);
    const before = listFacts(db, 1, 100_000);
    migrate(db, appMigrations);
    expect(listFacts(db, 1, 100_000)).toEqual(before);
    const attempt = db.prepare("SELECT id FROM wechat_attempts WHERE state = 'paid' ORDER BY id LIMIT 1").get() as { id: number };
    db.prepare("UPDATE wechat_attempts SET first_sent_at = 1765000000123, state = 'needs-attention', updated_at = updated_at + 1 WHERE id = ?").run(attempt.id);
    db.prepare("UPDATE wechat_attempts SET state = 'paid', updated_at = updated_at + 1 WHERE id = ?").run(attempt.id);
    const facts = listFacts(db, 1, 100_000).filter((f) => f.kind === 'wechat-attempt').slice(-2);
    expect(facts).toHaveLength(2);
    for (const fact of facts) {
      const parsed = parseFactBody('wechat-attempt', fact.body);
      expect(parsed.ok && parsed.value.firstSentAt).toBe(1765000000123);
    }
    const unsent = db.prepare("SELECT id FROM wechat_attempts WHERE state = 'paid' AND id <> ? ORDER BY id LIMIT 1").get(attempt.id) as { id: number } | undefined;
    if (unsent) {
      db.prepare("UPDATE wechat_attempts SET first_sent_at = NULL, state = 'cancelled', updated_at = updated_at + 1 WHERE id = ?").run(unsent.id);
      const last = listFacts(db, 1, 100_000).filter((f) => f.kind === 'wechat-attempt').at(-1);
      expect(JSON.parse(last?.body ?? '{}')).toMatchObject({ attemptId: unsent.id, firstSentAt: null, state: 'cancelled' });
    }
    db.close();
  });
});
