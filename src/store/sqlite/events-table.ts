import { inEventOrder, type CallEvent } from '../../journey/events';
import type { Db } from './database';

/** The events table's statements. Lists of calls go in as one JSON array (json_each): one statement for any count. */
export class EventsTable {
  private readonly insert;
  private readonly ofCall;
  private readonly ofCalls;
  private readonly callsAfter;
  private readonly countOfCalls;
  private readonly deleteOfCalls;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO events (call_sid, id, at, body) VALUES (?, ?, ?, ?)');
    this.ofCall = db.prepare('SELECT body FROM events WHERE call_sid = ?').pluck();
    this.ofCalls = db.prepare('SELECT call_sid, body FROM events WHERE call_sid IN (SELECT value FROM json_each(?))').raw();
    this.callsAfter = db.prepare('SELECT DISTINCT call_sid FROM events WHERE call_sid > ? ORDER BY call_sid LIMIT ?').pluck();
    this.countOfCalls = db.prepare('SELECT count(*) FROM events WHERE call_sid IN (SELECT value FROM json_each(?))').pluck();
    this.deleteOfCalls = db.prepare('DELETE FROM events WHERE call_sid IN (SELECT value FROM json_each(?))');
  }

  /** Inside the caller's transaction. Returns how many were new. */
  append(events: readonly CallEvent[]): number {
    let added = 0;
    for (const e of events) added += this.insert.run(e.callSid, e.id, e.at, JSON.stringify(e)).changes;
    return added;
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

  /** Up to `limit` calls with events, in callSid order after `after` ('' for the first page). */
  callsAfterSid(after: string, limit: number): string[] {
    return this.callsAfter.all(after, limit) as string[];
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
