import { createHash } from 'node:crypto';
import { AuditActions } from './audit-actions';
import type { AuditLink, AuditRecord } from './model';

/** An entry as the trail is asked to record it; the chain adds its place and its hashes. */
export type AuditContent = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;

/** The link the first entry ever continues from. */
export const GENESIS_HASH = '0'.repeat(64);

/** The action pruning records, with the link it cut at, so the anchor it leaves is itself in the chain. */
export const PRUNED_ACTION = AuditActions.AUDIT_PRUNED;

function canonicalDetails(d: AuditRecord['details']): [string, string | number | boolean][] | null {
  return d ? Object.keys(d).sort().map((k) => [k, d[k]]) : null;
}

/** SHA-256 over every field but the hash itself, in a fixed order, the previous entry's hash included. */
export function entryHash(e: Omit<AuditRecord, 'hash'>): string {
  const body = JSON.stringify([e.seq, e.at, e.actor, e.action, e.object, e.address, canonicalDetails(e.details), e.prevHash]);
  return createHash('sha256').update(body).digest('hex');
}

/** The entry that follows `last` (null: the first ever). */
export function chainEntry(last: AuditLink | null, content: AuditContent): AuditRecord {
  const unsealed = { ...content, seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: entryHash(unsealed) };
}

export type ChainProblem = 'changed' | 'removed-or-reordered' | 'link-broken' | 'anchor-unrecorded';

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  /** The first entry that does not hold, and why. */
  firstBad?: { seq: number; problem: ChainProblem };
}

/**
 * Checks the trail entry by entry, in seq order, from the anchor pruning left (or the start):
 *  - an entry whose content no longer gives its hash was changed;
 *  - a seq that does not follow the previous one means entries were removed or moved;
 *  - a prevHash that is not the previous entry's hash means an entry was replaced whole.
 * The anchor itself must be corroborated by a later `audit.pruned` entry naming the same link, so
 * cutting entries off the start and moving the anchor by hand does not pass as pruning.
 */
export class ChainVerifier {
  private expected: AuditLink;
  private checked = 0;
  private bad: ChainVerdict['firstBad'];
  private anchorRecorded: boolean;

  constructor(private readonly anchor: AuditLink | null) {
    this.expected = anchor ?? { seq: 0, hash: GENESIS_HASH };
    this.anchorRecorded = anchor === null;
  }

  /** Returns false once a problem is found (the rest need not be read). */
  add(e: AuditRecord): boolean {
    if (this.bad) return false;
    this.checked++;
    const problem: ChainProblem | null =
      e.seq !== this.expected.seq + 1 ? 'removed-or-reordered' : entryHash(e) !== e.hash ? 'changed' : e.prevHash !== this.expected.hash ? 'link-broken' : null;
    if (problem) {
      this.bad = { seq: e.seq, problem };
      return false;
    }
    if (this.anchor && e.action === PRUNED_ACTION && e.details?.throughSeq === this.anchor.seq && e.details?.throughHash === this.anchor.hash) this.anchorRecorded = true;
    this.expected = { seq: e.seq, hash: e.hash };
    return true;
  }

  verdict(): ChainVerdict {
    if (this.bad) return { ok: false, checked: this.checked, firstBad: this.bad };
    if (!this.anchorRecorded) return { ok: false, checked: this.checked, firstBad: { seq: this.anchor!.seq + 1, problem: 'anchor-unrecorded' } };
    return { ok: true, checked: this.checked };
  }
}
