import type { AuditLink, AuditRecord } from '../identity/model';

/**
 * Refuses an audit entry that does not carry on from `last`: the stores find the end of the chain by
 * the highest seq, so an entry that skipped or repeated one would break the 1, 2, 3 ... the trail's
 * verification and pruning rely on.
 */
export function checkFollows(entry: AuditRecord, last: AuditLink | null): void {
  const expected = (last?.seq ?? 0) + 1;
  if (entry.seq !== expected) throw new Error(`audit entry ${entry.seq} does not follow ${last ? `entry ${last.seq}` : 'the start of the trail'} (expected ${expected})`);
}
