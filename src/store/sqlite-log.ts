/**
 * The durable half of the store: one append-only SQLite table where every write
 * is a row and the row id is the revision (kine's model). Synchronous by design:
 * node:sqlite is synchronous, and berth has a single writer thread, so a write
 * and the in-memory view of it can never interleave with another write.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';

export interface LogRow {
  id: number;
  key: string;
  created: boolean;
  deleted: boolean;
  createRevision: number;
  prevRevision: number;
  value: string;
}

interface RawRow {
  id: number;
  key: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
}

function toRow(r: RawRow): LogRow {
  return {
    id: r.id,
    key: r.key,
    created: r.created === 1,
    deleted: r.deleted === 1,
    createRevision: r.create_revision,
    prevRevision: r.prev_revision,
    value: r.value,
  };
}

export class SqliteLog {
  #db: DatabaseSync;
  #insert: StatementSync;
  #after: StatementSync;
  #latest: StatementSync;
  #maxId: StatementSync;
  #byId: StatementSync;
  #getMeta: StatementSync;
  #setMeta: StatementSync;
  #snapshot: StatementSync;

  constructor(file: string) {
    this.#db = new DatabaseSync(file);
    // WAL + NORMAL: a committed write survives a process kill (it is in the OS
    // page cache); only a power loss can drop the newest transactions.
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        created INTEGER NOT NULL,
        deleted INTEGER NOT NULL,
        create_revision INTEGER NOT NULL,
        prev_revision INTEGER NOT NULL,
        value TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS log_key_id ON log (key, id);
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
    this.#insert = this.#db.prepare(
      'INSERT INTO log (key, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
    );
    this.#after = this.#db.prepare('SELECT * FROM log WHERE id > ? ORDER BY id');
    this.#latest = this.#db.prepare(
      'SELECT l.* FROM log l JOIN (SELECT key, MAX(id) AS id FROM log GROUP BY key) m ON l.id = m.id WHERE l.deleted = 0',
    );
    this.#maxId = this.#db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'log'), 0) AS id");
    this.#byId = this.#db.prepare('SELECT * FROM log WHERE id = ?');
    this.#snapshot = this.#db.prepare(
      `SELECT l.* FROM log l JOIN (SELECT key, MAX(id) AS id FROM log WHERE id <= ? AND key >= ? AND key < ? GROUP BY key) m
       ON l.id = m.id WHERE l.deleted = 0 ORDER BY l.key`,
    );
    this.#getMeta = this.#db.prepare('SELECT value FROM meta WHERE name = ?');
    this.#setMeta = this.#db.prepare('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value');
  }

  /** Appends one row and returns its id, the new revision. */
  append(row: Omit<LogRow, 'id'>): number {
    const r = this.#insert.get(
      row.key,
      row.created ? 1 : 0,
      row.deleted ? 1 : 0,
      row.createRevision,
      row.prevRevision,
      row.value,
    ) as { id: number };
    return r.id;
  }

  /** The newest row of every live key. */
  latest(): LogRow[] {
    return (this.#latest.all() as unknown as RawRow[]).map(toRow);
  }

  /** Every row after `revision`, oldest first. */
  after(revision: number): LogRow[] {
    return (this.#after.all(revision) as unknown as RawRow[]).map(toRow);
  }

  /** One row by revision; undefined once compacted away. */
  at(revision: number): LogRow | undefined {
    const r = this.#byId.get(revision) as RawRow | undefined;
    return r ? toRow(r) : undefined;
  }

  /**
   * The live rows of keys in [`from`, `to`) as they stood at `revision`, in key
   * order: per key, its newest row at or below `revision`, unless a deletion.
   * Complete only for `revision >= compactRevision()` (see `compact`).
   */
  snapshot(revision: number, from: string, to: string): LogRow[] {
    return (this.#snapshot.all(revision, from, to) as unknown as RawRow[]).map(toRow);
  }

  /** The highest revision ever handed out (survives compaction). */
  maxRevision(): number {
    return (this.#maxId.get() as { id: number }).id;
  }

  compactRevision(): number {
    const r = this.#getMeta.get('compact_revision') as { value: number } | undefined;
    return r?.value ?? 0;
  }

  /**
   * Drops history at or below `revision` as etcd compacts: rows superseded by a
   * newer row of the same key also at or below `revision`, and deletion
   * tombstones. The newest row of every key at `revision` is kept, so
   * `latest()` is unchanged and `snapshot(r)` stays complete for every
   * `r >= revision` (what a paginated list at a past revision reads).
   */
  compact(revision: number): number {
    this.#db.exec('BEGIN');
    try {
      const res = this.#db
        .prepare(
          `DELETE FROM log WHERE id <= ? AND (deleted = 1 OR EXISTS (SELECT 1 FROM log n WHERE n.key = log.key AND n.id > log.id AND n.id <= ?))`,
        )
        .run(revision, revision);
      this.#setMeta.run('compact_revision', revision);
      this.#db.exec('COMMIT');
      return Number(res.changes);
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
