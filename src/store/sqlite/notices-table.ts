import { NOTICE_REASONS, type Notice, type NoticeReason } from '../../reception/notice';
import type { Db } from './database';

type Row = [person: string, reason: string, until: string | null, text: string | null, setBy: string, setAt: string];

/** The absence notices' statements: one row per person, replaced whole when set again. */
export class NoticesTable {
  private readonly upsert;
  private readonly remove;
  private readonly all;

  constructor(db: Db) {
    this.upsert = db.prepare(
      `INSERT INTO notices (person, reason, until, text, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (person) DO UPDATE SET reason = excluded.reason, until = excluded.until, text = excluded.text, set_by = excluded.set_by, set_at = excluded.set_at`,
    );
    this.remove = db.prepare('DELETE FROM notices WHERE person = ?');
    this.all = db.prepare('SELECT person, reason, until, text, set_by, set_at FROM notices ORDER BY person').raw();
  }

  put(n: Notice): void {
    this.upsert.run(n.person, n.reason, n.until, n.text ?? null, n.setBy, n.setAt);
  }

  delete(person: string): boolean {
    return this.remove.run(person).changes > 0;
  }

  list(): Notice[] {
    return (this.all.all() as Row[]).map(([person, reason, until, text, setBy, setAt]) => ({
      person,
      // A reason a later version no longer knows is read as `other` rather than failing the whole list.
      reason: (NOTICE_REASONS as readonly string[]).includes(reason) ? (reason as NoticeReason) : 'other',
      until,
      ...(text !== null ? { text } : {}),
      setBy,
      setAt,
    }));
  }
}
