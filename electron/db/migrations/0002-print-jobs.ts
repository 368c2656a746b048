import type { Migration } from '../migrate';

/**
 * The persistent print queue. A job holds either a receipt document (JSON, rendered at print time for whatever
 * printer is configured then) or raw ESC/POS bytes. Jobs are never deleted by the queue: they are the
 * reprint history and the record of drawer openings (no-sale count on the shift report).
 */
export const migration0002PrintJobs: Migration = {
  version: 2,
  name: '0002-print-jobs',
  up(db) {
    db.exec(`
      CREATE TABLE print_jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'shift', 'drawer', 'test', 'raw')),
        ref TEXT,
        document TEXT,
        bytes BLOB,
        copy_of INTEGER REFERENCES print_jobs (id),
        priority INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        printed_at INTEGER,
        expires_at INTEGER,
        CHECK ((document IS NULL) <> (bytes IS NULL)),
        CHECK (document IS NULL OR json_valid(document))
      ) STRICT;
      CREATE INDEX print_jobs_pending ON print_jobs (priority DESC, id) WHERE state IN ('queued', 'printing');
      CREATE INDEX print_jobs_ref ON print_jobs (ref, id) WHERE ref IS NOT NULL;
    `);
  },
};
