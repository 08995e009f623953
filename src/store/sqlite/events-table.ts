import { inEventOrder, type CallEvent } from '../../journey/events';
import type { Db } from './database';

/** The events table's statements. Lists of calls go in as one JSON array (json_each): one statement for any count. */
export class EventsTable {
  private readonly insert;
  private readonly ofCall;
  private readonly anyOfCall;
  private readonly ofCalls;
  private readonly rowsAfter;
  private readonly countOfCalls;
  private readonly deleteOfCalls;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO events (call_sid, id, at, body) VALUES (?, ?, ?, ?)');
    this.ofCall = db.prepare('SELECT body FROM events WHERE call_sid = ?').pluck();
    this.anyOfCall = db.prepare('SELECT 1 FROM events WHERE call_sid = ? LIMIT 1').pluck();
    this.ofCalls = db.prepare('SELECT call_sid, body FROM events WHERE call_sid IN (SELECT value FROM json_each(?))').raw();
    this.rowsAfter = db.prepare('SELECT call_sid, body FROM events WHERE call_sid > ? ORDER BY call_sid, id LIMIT ?').raw();
    this.countOfCalls = db.prepare('SELECT count(*) FROM events WHERE call_sid IN (SELECT value FROM json_each(?))').pluck();
    this.deleteOfCalls = db.prepare('DELETE FROM events WHERE call_sid IN (SELECT value FROM json_each(?))');
  }

  /** Inside the caller's transaction. Returns the events that were new. */
  append(events: readonly CallEvent[]): CallEvent[] {
    const added: CallEvent[] = [];
    for (const e of events) if (this.insert.run(e.callSid, e.id, e.at, JSON.stringify(e)).changes) added.push(e);
    return added;
  }

  /** Whether any event of the call is stored: one seek. */
  hasCall(callSid: string): boolean {
    return this.anyOfCall.get(callSid) !== undefined;
  }

  forCall(callSid: string): CallEvent[] {
    return inOrder((this.ofCall.all(callSid) as string[]).map(parseEvent));
  }

  forCalls(callSids: readonly string[]): Map<string, CallEvent[]> {
    const out = new Map<string, CallEvent[]>();
    if (!callSids.length) return out;
    for (const [sid, body] of this.ofCalls.all(JSON.stringify(callSids)) as [string, string][]) {
      const list = out.get(sid);
      if (list) list.push(parseEvent(body));
      else out.set(sid, [parseEvent(body)]);
    }
    for (const [sid, list] of out) out.set(sid, inOrder(list));
    return out;
  }

  /**
   * The calls after `after` ('' for the first page) in callSid order, whole, read as one range of
   * about `rows` events (the table is clustered by call, so this is a sequential read). Empty when
   * no call is left.
   */
  callsAfterSid(after: string, rows: number): CallEvent[][] {
    const found = this.rowsAfter.all(after, rows) as [string, string][];
    const calls: CallEvent[][] = [];
    let current: CallEvent[] = [];
    let sid = '';
    for (const [s, body] of found) {
      if (s !== sid) {
        if (current.length) calls.push(current);
        current = [];
        sid = s;
      }
      current.push(parseEvent(body));
    }
    // The page may have cut the last call short: read it whole (it may be longer than a page).
    if (found.length === rows) current = (this.ofCall.all(sid) as string[]).map(parseEvent);
    if (current.length) calls.push(current);
    return calls.map(inOrder);
  }

  count(callSids: readonly string[]): number {
    return this.countOfCalls.get(JSON.stringify(callSids)) as number;
  }

  delete(callSids: readonly string[]): number {
    return this.deleteOfCalls.run(JSON.stringify(callSids)).changes;
  }
}

function parseEvent(body: string): CallEvent {
  return JSON.parse(body) as CallEvent;
}

/** The events in the order they happened (the table keeps them by id). */
function inOrder(list: CallEvent[]): CallEvent[] {
  const ordered = inEventOrder(list);
  return ordered === list ? list : (ordered as CallEvent[]);
}
