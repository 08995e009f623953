import type { Journey } from '../../journey/journey';
import type { JourneyQuery } from '../store';
import type { Db } from './database';

type Statement = ReturnType<Db['prepare']>;

/** The journeys table's statements. */
export class JourneysTable {
  private readonly countOf;
  private readonly upsert;
  private readonly byCall;
  private readonly byCalls;
  private readonly byCaller;
  private readonly byCallersSince;
  private readonly startedBefore;
  private readonly withoutStartLastEventBefore;
  private readonly deleteOfCalls;
  /** listJourneys' statements, one per combination of filters (at most 16). */
  private readonly listings = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    this.countOf = db.prepare('SELECT event_count FROM journeys WHERE call_sid = ?').pluck();
    this.upsert = db.prepare(
      `INSERT INTO journeys (call_sid, started_at, flow_id, caller, ended, event_count, body) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (call_sid) DO UPDATE SET started_at = excluded.started_at, flow_id = excluded.flow_id, caller = excluded.caller,
         ended = excluded.ended, event_count = excluded.event_count, body = excluded.body`,
    );
    this.byCall = db.prepare('SELECT body FROM journeys WHERE call_sid = ?').pluck();
    this.byCalls = db.prepare('SELECT body FROM journeys WHERE call_sid IN (SELECT value FROM json_each(?))').pluck();
    this.byCaller = db.prepare('SELECT body FROM journeys WHERE caller = ?').pluck();
    this.byCallersSince = db.prepare('SELECT body FROM journeys WHERE caller IN (SELECT value FROM json_each(?)) AND started_at >= ?').pluck();
    this.startedBefore = db.prepare("SELECT call_sid FROM journeys WHERE started_at > '' AND started_at < ? ORDER BY started_at LIMIT ?").pluck();
    // A call with no start time goes by its latest event, and at once when it has none (see Store.deleteCallsBefore).
    this.withoutStartLastEventBefore = db
      .prepare(
        `SELECT call_sid FROM journeys j WHERE started_at = '' AND call_sid > ?
           AND coalesce((SELECT max(at) FROM events e WHERE e.call_sid = j.call_sid), -1) < ?
         ORDER BY call_sid LIMIT ?`,
      )
      .pluck();
    this.deleteOfCalls = db.prepare('DELETE FROM journeys WHERE call_sid IN (SELECT value FROM json_each(?))');
  }

  /** The stored journey's event count; null when none is stored. */
  eventCount(callSid: string): number | null {
    return (this.countOf.get(callSid) as number | undefined) ?? null;
  }

  put(j: Journey): void {
    this.upsert.run(j.callSid, j.startedAt ?? '', j.flowId, j.caller, j.ended ? 1 : 0, j.eventCount, JSON.stringify(j));
  }

  get(callSid: string): Journey | null {
    const body = this.byCall.get(callSid) as string | undefined;
    return body === undefined ? null : (JSON.parse(body) as Journey);
  }

  getMany(callSids: readonly string[]): Map<string, Journey> {
    const out = new Map<string, Journey>();
    if (!callSids.length) return out;
    for (const body of this.byCalls.all(JSON.stringify(callSids)) as string[]) {
      const j = JSON.parse(body) as Journey;
      out.set(j.callSid, j);
    }
    return out;
  }

  ofCaller(caller: string): Journey[] {
    return (this.byCaller.all(caller) as string[]).map((b) => JSON.parse(b) as Journey);
  }

  ofCallersSince(callers: readonly string[], startedSince: string): Journey[] {
    if (!callers.length) return [];
    return (this.byCallersSince.all(JSON.stringify(callers), startedSince) as string[]).map((b) => JSON.parse(b) as Journey);
  }

  /** Newest first, by (startedAt, callSid) descending; a journey with no start sorts last. */
  list(q: JourneyQuery): Journey[] {
    const where: string[] = [];
    const params: Record<string, string | number> = { limit: q.limit ?? 100 };
    if (q.flowId) (where.push('flow_id = @flowId'), (params.flowId = q.flowId));
    if (q.from) (where.push('started_at >= @from'), (params.from = q.from));
    if (q.to) (where.push('started_at < @to'), (params.to = q.to));
    if (q.before) {
      where.push('(started_at < @beforeAt OR (started_at = @beforeAt AND call_sid < @beforeSid))');
      params.beforeAt = q.before.startedAt;
      params.beforeSid = q.before.callSid;
    }
    const sql = `SELECT body FROM journeys ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY started_at DESC, call_sid DESC LIMIT @limit`;
    let stmt = this.listings.get(sql);
    if (!stmt) this.listings.set(sql, (stmt = this.db.prepare(sql).pluck()));
    return (stmt.all(params) as string[]).map((b) => JSON.parse(b) as Journey);
  }

  /** Calls that started before the cutoff (ISO), oldest first. */
  startedBeforeCutoff(cutoff: string, limit: number): string[] {
    return this.startedBefore.all(cutoff, limit) as string[];
  }

  /** Calls with no start time whose latest event is before the cutoff (epoch ms), in callSid order after `after`. */
  withoutStartBefore(cutoffMs: number, after: string, limit: number): string[] {
    return this.withoutStartLastEventBefore.all(after, cutoffMs, limit) as string[];
  }

  /** Deletes these calls' journeys; returns how many there were. */
  delete(callSids: readonly string[]): number {
    return this.deleteOfCalls.run(JSON.stringify(callSids)).changes;
  }
}
