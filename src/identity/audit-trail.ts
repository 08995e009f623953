import { chainEntry, ChainVerifier, type ChainVerdict } from './audit-chain';
import { AuditActions, type AuditAction } from './audit-actions';
import type { AuditQuery, AuditRecord, IdentityStore } from './model';
import type { Principal } from './principal';

export interface AuditEvent {
  /** The principal, or an actor string for who is not signed in (`anonymous`, an e-mail that failed to sign in). */
  actor: Principal | string;
  action: AuditAction;
  object?: string | null;
  address?: string | null;
  details?: AuditRecord['details'];
}

/**
 * The append-only record of who read or changed what. Each entry is chained to the one before (see
 * audit-chain.ts); the store makes appends atomic across instances.
 */
export class AuditTrail {
  constructor(
    private readonly store: IdentityStore,
    private readonly now: () => number,
  ) {}

  record(e: AuditEvent): Promise<AuditRecord> {
    const content = {
      at: new Date(this.now()).toISOString(),
      actor: typeof e.actor === 'string' ? e.actor : e.actor.actor,
      action: e.action,
      object: e.object ?? null,
      address: e.address ?? null,
      // A token acting for a user is named beside them, so its use can be told from the user's own.
      details: typeof e.actor !== 'string' && e.actor.tokenId ? { ...e.details, token: e.actor.tokenId } : (e.details ?? null),
    };
    return this.store.appendAudit((last) => chainEntry(last, content));
  }

  list(q: AuditQuery): Promise<AuditRecord[]> {
    return this.store.listAudit(q);
  }

  /** Walks the whole trail from the anchor; stops at the first entry that does not hold. */
  async verify(): Promise<ChainVerdict> {
    const v = new ChainVerifier(await this.store.auditAnchor());
    for await (const page of this.store.auditRecords()) {
      if (!page.every((e) => v.add(e))) break;
    }
    return v.verdict();
  }

  /**
   * Removes entries older than the retention period from the start of the chain, then records the
   * pruning with the link it cut at, so what remains verifies and the cut is itself on record.
   */
  async prune(retentionDays: number): Promise<number> {
    const before = new Date(this.now() - retentionDays * 86_400_000).toISOString();
    const { removed, lastRemoved } = await this.store.pruneAudit(before);
    if (removed && lastRemoved) {
      await this.record({ actor: 'system', action: AuditActions.AUDIT_PRUNED, details: { removed, throughSeq: lastRemoved.seq, throughHash: lastRemoved.hash, before } });
    }
    return removed;
  }
}
