import { chainEntry, ChainVerifier, GENESIS_HASH, PRUNED_ACTION, type AuditContent } from '../../src/identity/audit-chain';
import type { AuditLink, AuditRecord } from '../../src/identity/model';

const content = (i: number): AuditContent => ({
  at: new Date(Date.UTC(2026, 11, 5, 8, i)).toISOString(),
  actor: i % 2 ? 'user:anna@kommun.se' : 'service:API_TOKEN',
  action: 'call.timeline.read',
  object: `CA${String(i).padStart(32, '0')}`,
  address: '10.0.0.7',
  details: i % 3 ? { n: i, ok: true } : null,
});

function chain(n: number, from: AuditLink | null = null): AuditRecord[] {
  const out: AuditRecord[] = [];
  let last = from;
  for (let i = 1; i <= n; i++) {
    const e = chainEntry(last, content(i));
    out.push(e);
    last = { seq: e.seq, hash: e.hash };
  }
  return out;
}

function verify(entries: AuditRecord[], anchor: AuditLink | null = null) {
  const v = new ChainVerifier(anchor);
  for (const e of entries) if (!v.add(e)) break;
  return v.verdict();
}

describe('the audit chain', () => {
  test('each entry links to the one before; the first to the genesis hash', () => {
    const c = chain(3);
    expect(c.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(c[0].prevHash).toBe(GENESIS_HASH);
    expect(c[1].prevHash).toBe(c[0].hash);
    expect(c[2].prevHash).toBe(c[1].hash);
    expect(new Set(c.map((e) => e.hash)).size).toBe(3);
    expect(verify(c)).toEqual({ ok: true, checked: 3 });
  });

  test.each([
    ['actor', (e: AuditRecord) => ({ ...e, actor: 'user:someone-else@kommun.se' })],
    ['object', (e: AuditRecord) => ({ ...e, object: 'CA' + 'f'.repeat(32) })],
    ['time', (e: AuditRecord) => ({ ...e, at: '2026-12-05T09:00:00.000Z' })],
    ['details', (e: AuditRecord) => ({ ...e, details: { n: 999, ok: true } })],
    ['address', (e: AuditRecord) => ({ ...e, address: null })],
  ])('a changed %s is found at that entry', (_field, change) => {
    const c = chain(6);
    c[3] = change(c[3]);
    expect(verify(c)).toEqual({ ok: false, checked: 4, firstBad: { seq: 4, problem: 'changed' } });
  });

  test('details in another key order are the same entry', () => {
    const [e] = chain(1);
    const reordered = { ...e, details: e.details && Object.fromEntries(Object.entries(e.details).reverse()) };
    expect(verify([reordered]).ok).toBe(true);
  });

  test('a removed entry is found where the gap is', () => {
    const c = chain(5);
    c.splice(2, 1);
    expect(verify(c).firstBad).toEqual({ seq: 4, problem: 'removed-or-reordered' });
  });

  test('two swapped entries are found', () => {
    const c = chain(5);
    [c[1], c[2]] = [c[2], c[1]];
    expect(verify(c).firstBad).toEqual({ seq: 3, problem: 'removed-or-reordered' });
  });

  test('an entry replaced whole, rehashed with its own seq, breaks the link to it', () => {
    const c = chain(4);
    const forged = chainEntry({ seq: 2, hash: 'a'.repeat(64) }, { ...content(3), actor: 'user:mallory@kommun.se' });
    c[2] = forged;
    expect(verify(c).firstBad).toEqual({ seq: 3, problem: 'link-broken' });
  });

  test('after pruning, the rest verifies from the anchor when the pruning is on record', () => {
    const all = chain(6);
    const anchor = { seq: all[2].seq, hash: all[2].hash };
    const rest = all.slice(3);
    const pruned = chainEntry({ seq: rest[2].seq, hash: rest[2].hash }, { ...content(7), action: PRUNED_ACTION, details: { removed: 3, throughSeq: anchor.seq, throughHash: anchor.hash } });
    expect(verify([...rest, pruned], anchor)).toEqual({ ok: true, checked: 4 });
  });

  test('entries cut off the start with an anchor nobody recorded do not pass as pruning', () => {
    const all = chain(6);
    const anchor = { seq: all[2].seq, hash: all[2].hash };
    expect(verify(all.slice(3), anchor).firstBad).toEqual({ seq: 4, problem: 'anchor-unrecorded' });
  });

  test('entries removed from the start without an anchor are found', () => {
    expect(verify(chain(5).slice(1)).firstBad).toEqual({ seq: 2, problem: 'removed-or-reordered' });
  });
});
