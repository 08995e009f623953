import { GRAIN_PREFIX, GRAINS, grainOfDim, rollupScopesOfHours, type Grain } from '../../metrics/grains';
import type { RollupDelta, RollupDoc, RollupIntent, RollupQuery } from '../store';
import type { Db } from './database';

type Statement = ReturnType<Db['prepare']>;
type RollupRow = [grain: number, family: string, hour: string, dim: string, flowId: string, flowVersion: string, counts: string];

const GRAIN_CODE: Record<Grain, number> = { hour: 0, day: 1, month: 2 };
/** Above every character a dimension holds: `p <= dim < p + TOP` is "dim starts with p". */
const TOP = '\u{10FFFF}';

/** The dimension's grain and family (see schema.ts): the columns a query for a dimension prefix seeks by. */
export function rollupColumns(dim: string): { grain: number; family: string } {
  const grain = grainOfDim(dim);
  const rest = dim.slice(GRAIN_PREFIX[grain].length);
  const colon = rest.indexOf(':');
  return { grain: GRAIN_CODE[grain], family: colon < 0 ? rest : rest.slice(0, colon + 1) };
}

/** The rollups and rollup intents tables' statements. */
export class RollupsTable {
  private readonly getCounts;
  private readonly insertRow;
  private readonly updateRow;
  private readonly clearAll;
  private readonly putIntent;
  private readonly clearIntent;
  private readonly allIntents;
  private readonly bumpScope;
  private readonly scopeVersion;
  private readonly claimScope;
  /** queryRollups' statements, one per shape of query (a handful). */
  private readonly queries = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    this.getCounts = db.prepare('SELECT counts FROM rollups WHERE grain = ? AND family = ? AND hour = ? AND dim = ? AND flow_id = ? AND flow_version = ?').pluck();
    // Apart rather than one upsert: apply() knows whether the row exists, and an upsert of an existing
    // row seeks it twice (the insert that conflicts, then the update).
    this.insertRow = db.prepare('INSERT INTO rollups (grain, family, hour, dim, flow_id, flow_version, counts) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.updateRow = db.prepare('UPDATE rollups SET counts = ? WHERE grain = ? AND family = ? AND hour = ? AND dim = ? AND flow_id = ? AND flow_version = ?');
    this.clearAll = db.prepare('DELETE FROM rollups');
    this.putIntent = db.prepare('INSERT OR REPLACE INTO rollup_intents (id, owner, at, hours) VALUES (?, ?, ?, ?)');
    this.clearIntent = db.prepare('DELETE FROM rollup_intents WHERE id = ?');
    this.allIntents = db.prepare('SELECT id, owner, at, hours FROM rollup_intents ORDER BY id').raw();
    this.bumpScope = db.prepare('INSERT INTO rollup_scope_versions (scope, n) VALUES (?, 1) ON CONFLICT DO UPDATE SET n = n + 1');
    this.scopeVersion = db.prepare('SELECT n FROM rollup_scope_versions WHERE scope = ?').pluck();
    this.claimScope = db.prepare('UPDATE rollup_scope_versions SET n = n + 1 WHERE scope = ? AND n = ?');
  }

  /**
   * Inside the caller's transaction. Deltas for the same rollup within one call are summed in
   * memory first, so each row is read and written once. A counter that reaches zero is dropped.
   */
  apply(deltas: readonly RollupDelta[]): void {
    // Deltas come merged already from the ingestor and the repair: a rollup met twice is copied then,
    // and only then, so the caller's deltas are never changed.
    const merged = new Map<string, RollupDelta>();
    const copied = new Set<RollupDelta>();
    for (const d of deltas) {
      const key = `${d.flowId}\u0000${d.flowVersion}\u0000${d.hour}\u0000${d.dim}`;
      let known = merged.get(key);
      if (!known) {
        merged.set(key, d);
        continue;
      }
      if (!copied.has(known)) {
        merged.set(key, (known = { ...known, counts: { ...known.counts } }));
        copied.add(known);
      }
      for (const k in d.counts) known.counts[k] = (known.counts[k] ?? 0) + d.counts[k];
    }
    for (const d of merged.values()) {
      const { grain, family } = rollupColumns(d.dim);
      const stored = this.getCounts.get(grain, family, d.hour, d.dim, d.flowId, d.flowVersion) as string | undefined;
      const counts: Record<string, number> = stored === undefined ? {} : JSON.parse(stored);
      for (const k in d.counts) {
        const n = (counts[k] ?? 0) + d.counts[k];
        if (n === 0) delete counts[k];
        else counts[k] = n;
      }
      if (stored === undefined) this.insertRow.run(grain, family, d.hour, d.dim, d.flowId, d.flowVersion, JSON.stringify(counts));
      else this.updateRow.run(JSON.stringify(counts), grain, family, d.hour, d.dim, d.flowId, d.flowVersion);
    }
  }

  /**
   * A dimension prefix is sought by grain and family, then hour: a family named whole ("node:") is
   * one seek; a prefix within a family name ("call") is the family of that name plus any longer one;
   * no prefix (or a grain prefix alone) reads the hours' rows through the hour index.
   */
  query(q: RollupQuery): RollupDoc[] {
    const params: Record<string, string | number> = { from: q.from, to: q.to };
    const filters: string[] = ['hour >= @from', 'hour < @to'];
    if (q.flowId) (filters.push('flow_id = @flowId'), (params.flowId = q.flowId));
    if (q.flowVersions) (filters.push('flow_version IN (SELECT value FROM json_each(@versions))'), (params.versions = JSON.stringify(q.flowVersions)));
    const prefix = q.dimPrefix ?? '';
    const { grain, family } = rollupColumns(prefix);
    const grainOnly = prefix !== '' && GRAINS.some((g) => GRAIN_PREFIX[g] === prefix);
    let sql: string;
    if (!prefix || grainOnly) {
      if (grainOnly) (filters.push('grain = @grain'), (params.grain = grain));
      sql = `SELECT * FROM rollups INDEXED BY rollups_by_hour WHERE ${filters.join(' AND ')}`;
    } else {
      Object.assign(params, { grain, family, dimFrom: prefix, dimTo: prefix + TOP });
      filters.push('dim >= @dimFrom', 'dim < @dimTo');
      const where = filters.join(' AND ');
      sql = `SELECT * FROM rollups WHERE grain = @grain AND family = @family AND ${where}`;
      if (!family.endsWith(':')) {
        params.familyTo = family + TOP;
        sql += ` UNION ALL SELECT * FROM rollups WHERE grain = @grain AND family > @family AND family < @familyTo AND ${where}`;
      }
    }
    let stmt = this.queries.get(sql);
    if (!stmt) this.queries.set(sql, (stmt = this.db.prepare(sql).raw()));
    return (stmt.all(params) as RollupRow[]).map(([, , hour, dim, flowId, flowVersion, counts]) => ({ flowId, flowVersion, hour, dim, counts: JSON.parse(counts) }));
  }

  clear(): void {
    this.clearAll.run();
  }

  /** Inside the caller's transaction: the intents, then the versions of the scopes they announce. */
  writeIntents(put: readonly RollupIntent[], clear: readonly string[]): void {
    for (const id of clear) this.clearIntent.run(id);
    for (const p of put) this.putIntent.run(p.id, p.owner, p.at, JSON.stringify(p.hours));
    for (const scope of rollupScopesOfHours(put.flatMap((p) => p.hours))) this.bumpScope.run(scope);
  }

  scopeVersions(scopes: readonly string[]): Map<string, number> {
    return new Map(scopes.map((s) => [s, (this.scopeVersion.get(s) as number | undefined) ?? 0]));
  }

  claim(scope: string, expected: number): boolean {
    return this.claimScope.run(scope, expected).changes === 1;
  }

  intents(): RollupIntent[] {
    return (this.allIntents.all() as [string, string, number, string][]).map(([id, owner, at, hours]) => ({ id, owner, at, hours: JSON.parse(hours) }));
  }
}
