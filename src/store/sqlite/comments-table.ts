import type { CommentQuery, StoredComment } from '../../reception/comments';
import type { Db } from './database';

type Statement = ReturnType<Db['prepare']>;
type Row = [string, string, string, string | null, string, number | null, string];

const COLUMNS = 'id, call_sid, at, flow_id, language, confidence, text';
const toComment = ([id, callSid, at, flowId, language, confidence, text]: Row): StoredComment => ({ id, callSid, at, text, confidence, language, flowId });

/** The comments table's statements. */
export class CommentsTable {
  private readonly insert;
  private readonly byCalls;
  private readonly deleteOfCalls;
  private readonly deleteBefore;
  /** listComments' statements, one per combination of filters (at most 16). */
  private readonly listings = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO comments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.byCalls = db.prepare(`SELECT ${COLUMNS} FROM comments WHERE call_sid IN (SELECT value FROM json_each(?)) ORDER BY at, id`).raw();
    this.deleteOfCalls = db.prepare('DELETE FROM comments WHERE call_sid IN (SELECT value FROM json_each(?))');
    this.deleteBefore = db.prepare('DELETE FROM comments WHERE at < ?');
  }

  put(comments: readonly StoredComment[]): void {
    for (const c of comments) this.insert.run(c.id, c.callSid, c.at, c.flowId, c.language, c.confidence, c.text);
  }

  ofCalls(callSids: readonly string[]): StoredComment[] {
    if (!callSids.length) return [];
    return (this.byCalls.all(JSON.stringify(callSids)) as Row[]).map(toComment);
  }

  list(q: CommentQuery): StoredComment[] {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: q.limit ?? 100 };
    if (q.flowId) (where.push('flow_id = @flowId'), (params.flowId = q.flowId));
    if (q.from) (where.push('at >= @from'), (params.from = q.from));
    if (q.to) (where.push('at < @to'), (params.to = q.to));
    if (q.before) {
      where.push('(at < @beforeAt OR (at = @beforeAt AND id < @beforeId))');
      params.beforeAt = q.before.at;
      params.beforeId = q.before.id;
    }
    const sql = `SELECT ${COLUMNS} FROM comments ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY at DESC, id DESC LIMIT @limit`;
    let stmt = this.listings.get(sql);
    if (!stmt) this.listings.set(sql, (stmt = this.db.prepare(sql).raw()));
    return (stmt.all(params) as Row[]).map(toComment);
  }

  /** Deletes these calls' comments; returns how many there were. */
  delete(callSids: readonly string[]): number {
    return this.deleteOfCalls.run(JSON.stringify(callSids)).changes;
  }

  /** Deletes the comments made before the cutoff (ISO); returns how many. */
  deleteMadeBefore(cutoff: string): number {
    return this.deleteBefore.run(cutoff).changes;
  }
}
