/**
 * A line in the events file or the journeys file saying that these calls were deleted (erasure on
 * request, retention). At load it removes every record of theirs read before it. deleteCalls appends
 * it, synced to disk, before the calls leave memory, so a deletion holds from the moment it resolves,
 * whatever becomes of the rewrite that then takes the calls' records out of the file (the process
 * killed half-way, a power cut, a full disk).
 *
 * Kept in the file it applies to rather than in a deletions journal of its own, because the order of
 * the lines then says what came first:
 * - a record of the call appended after the deletion (a late webhook) follows the line and is kept at
 *   load, as it is kept in memory when it arrives;
 * - a rewrite drops the line exactly when its calls' records are gone, with no bookkeeping of which
 *   rewrite covered which deletion: a rewrite's snapshot is taken from memory, which holds neither the
 *   line nor the calls of a deletion made before it, while a deletion made during the rewrite has its
 *   line appended after the snapshot and carried into the new file with the other appends, after the
 *   records of the snapshot it cancels.
 */
export interface CallsDeletedLine {
  deletedCalls: string[];
}

/** Retention deletes a day's calls at once: lines of bounded length, each quick to parse. */
const CALLS_PER_LINE = 1000;

export function isCallsDeleted(line: object): line is CallsDeletedLine {
  return Array.isArray((line as Partial<CallsDeletedLine>).deletedCalls);
}

export function callsDeletedLines(callSids: readonly string[]): CallsDeletedLine[] {
  const lines: CallsDeletedLine[] = [];
  for (let i = 0; i < callSids.length; i += CALLS_PER_LINE) lines.push({ deletedCalls: callSids.slice(i, i + CALLS_PER_LINE) });
  return lines;
}
