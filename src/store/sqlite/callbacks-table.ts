import type { CallbackChange, CallbackQuery, CallbackState, NewCallback, StoredCallback } from '../../reception/callbacks';
import { applyChange } from '../../reception/callbacks';
import type { TargetKind } from '../../flow/schema';
import type { Db } from './database';

type Statement = ReturnType<Db['prepare']>;

const COLUMNS =
  'id, call_sid, flow_id, caller, node_id, target, target_kind, source, language, requested_at, deadline, expires, sealed, state, assigned_to, tries, closed_at';

interface Row {
  id: string;
  call_sid: string;
  flow_id: string | null;
  caller: string | null;
  node_id: string;
  target: string | null;
  target_kind: string | null;
  source: string;
  language: string;
  requested_at: string;
  deadline: string | null;
  expires: string;
  sealed: string;
  state: string;
  assigned_to: string | null;
  tries: number;
  closed_at: string | null;
}

interface HistoryRow {
  callback_id: string;
  seq: number;
  at: string;
  action: string;
  by_whom: string | null;
  assigned_to: string | null;
  note: string | null;
}

const toChange = (h: HistoryRow): CallbackChange => ({
  at: h.at,
  action: h.action as CallbackChange['action'],
  by: h.by_whom,
  ...(h.assigned_to ? { assignedTo: h.assigned_to } : {}),
  ...(h.note ? { note: h.note } : {}),
});

/** The callbacks table and its history rows. */
export class CallbacksTable {
  private readonly insert;
  private readonly byId;
  private readonly byCalls;
  private readonly historyOf;
  private readonly insertHistory;
  private readonly update;
  private readonly expiring;
  private readonly closedBefore;
  private readonly deleteById;
  private readonly deleteHistory;
  private readonly listings = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO callbacks (${COLUMNS}) VALUES (@id, @call_sid, @flow_id, @caller, @node_id, @target, @target_kind, @source, @language, @requested_at, @deadline, @expires, @sealed, @state, @assigned_to, @tries, @closed_at)`);
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM callbacks WHERE id = ?`);
    this.byCalls = db.prepare(`SELECT ${COLUMNS} FROM callbacks WHERE call_sid IN (SELECT value FROM json_each(?)) ORDER BY requested_at, id`);
    this.historyOf = db.prepare('SELECT * FROM callback_history WHERE callback_id IN (SELECT value FROM json_each(?)) ORDER BY callback_id, seq');
    this.insertHistory = db.prepare('INSERT INTO callback_history (callback_id, seq, at, action, by_whom, assigned_to, note) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.update = db.prepare('UPDATE callbacks SET state = @state, assigned_to = @assigned_to, tries = @tries, closed_at = @closed_at WHERE id = @id AND state = \'open\'');
    this.expiring = db.prepare(`SELECT ${COLUMNS} FROM callbacks WHERE state = 'open' AND expires <= ?`);
    this.closedBefore = db.prepare("SELECT id FROM callbacks WHERE state != 'open' AND closed_at < ?").pluck();
    this.deleteById = db.prepare('DELETE FROM callbacks WHERE id IN (SELECT value FROM json_each(?))');
    this.deleteHistory = db.prepare('DELETE FROM callback_history WHERE callback_id IN (SELECT value FROM json_each(?))');
  }

  put(callbacks: readonly (NewCallback & { flowId: string | null; caller: string | null })[]): void {
    for (const c of callbacks) {
      this.insert.run({
        id: c.id,
        call_sid: c.callSid,
        flow_id: c.flowId,
        caller: c.caller,
        node_id: c.nodeId,
        target: c.target,
        target_kind: c.targetKind,
        source: c.source,
        language: c.language,
        requested_at: c.requestedAt,
        deadline: c.deadline,
        expires: c.expires,
        sealed: c.sealed,
        state: 'open',
        assigned_to: null,
        tries: 0,
        closed_at: null,
      });
    }
  }

  private withHistory(rows: Row[]): StoredCallback[] {
    if (!rows.length) return [];
    const history = new Map<string, CallbackChange[]>();
    for (const h of this.historyOf.all(JSON.stringify(rows.map((r) => r.id))) as HistoryRow[]) {
      let list = history.get(h.callback_id);
      if (!list) history.set(h.callback_id, (list = []));
      list.push(toChange(h));
    }
    return rows.map((r) => ({
      id: r.id,
      callSid: r.call_sid,
      flowId: r.flow_id,
      caller: r.caller,
      nodeId: r.node_id,
      target: r.target,
      targetKind: r.target_kind as TargetKind | null,
      source: r.source as StoredCallback['source'],
      language: r.language,
      requestedAt: r.requested_at,
      deadline: r.deadline,
      expires: r.expires,
      sealed: r.sealed,
      state: r.state as CallbackState,
      assignedTo: r.assigned_to,
      tries: r.tries,
      closedAt: r.closed_at,
      history: history.get(r.id) ?? [],
    }));
  }

  get(id: string): StoredCallback | null {
    const row = this.byId.get(id) as Row | undefined;
    return row ? this.withHistory([row])[0] : null;
  }

  ofCalls(callSids: readonly string[]): StoredCallback[] {
    if (!callSids.length) return [];
    return this.withHistory(this.byCalls.all(JSON.stringify(callSids)) as Row[]);
  }

  list(q: CallbackQuery): StoredCallback[] {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: q.limit ?? 500 };
    if (q.states?.length) (where.push('state IN (SELECT value FROM json_each(@states))'), (params.states = JSON.stringify(q.states)));
    if (q.flowId) (where.push('flow_id = @flowId'), (params.flowId = q.flowId));
    if (q.from) (where.push('requested_at >= @from'), (params.from = q.from));
    if (q.to) (where.push('requested_at < @to'), (params.to = q.to));
    const sql = `SELECT ${COLUMNS} FROM callbacks ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY requested_at, id LIMIT @limit`;
    let stmt = this.listings.get(sql);
    if (!stmt) this.listings.set(sql, (stmt = this.db.prepare(sql)));
    return this.withHistory(stmt.all(params) as Row[]);
  }

  /** Applies a change to an open callback (in the caller's transaction); null when it is not open or not there. */
  change(id: string, change: CallbackChange): StoredCallback | null {
    const cb = this.get(id);
    if (!cb || cb.state !== 'open') return null;
    const next = applyChange(cb, change);
    const done = this.update.run({ id, state: next.state, assigned_to: next.assignedTo, tries: next.tries, closed_at: next.closedAt }).changes;
    if (!done) return null;
    this.insertHistory.run(id, cb.history.length, change.at, change.action, change.by, change.assignedTo ?? null, change.note ?? null);
    return next;
  }

  /** Open callbacks whose expiry has come. */
  expiringAt(now: string): StoredCallback[] {
    return this.withHistory(this.expiring.all(now) as Row[]);
  }

  closedBeforeIds(cutoff: string): string[] {
    return this.closedBefore.all(cutoff) as string[];
  }

  deleteIds(ids: readonly string[]): number {
    if (!ids.length) return 0;
    const json = JSON.stringify(ids);
    this.deleteHistory.run(json);
    return this.deleteById.run(json).changes;
  }

  /** These calls' callbacks and their history; returns how many callbacks. */
  deleteOfCalls(callSids: readonly string[]): number {
    return this.deleteIds(this.ofCalls(callSids).map((c) => c.id));
  }
}
