import { createHash } from 'node:crypto';
import type { ApiTokenRecord, AuditLink, AuditRecord, IdentityStore, PendingSignIn, SessionRecord, UserRecord } from '../../src/identity/model';
import type { Store } from '../../src/store/store';
import type { StoreFactory } from './store-contract';

/**
 * The behaviour every IdentityStore must have, run against each store by identity-store.test.ts.
 * The factory's stores must read the audit trail in pages of fewer than 30 entries (the stores'
 * auditPageSize option), so that paging is seen to work; `reopen` (where the store is durable) must
 * return a store over the same data.
 */
export const AUDIT_TEST_PAGE = 7;

const T0 = Date.parse('2026-03-02T08:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

export function staffUser(email: string, over: Partial<UserRecord> = {}): UserRecord {
  return {
    email,
    name: `Name of ${email}`,
    roles: ['reception'],
    disabled: false,
    source: 'local',
    oidcSubject: null,
    passwordHash: 'scrypt$test$not-a-real-hash',
    mustChangePassword: true,
    failedSignIns: 0,
    lockedUntil: null,
    createdAt: iso(T0),
    updatedAt: iso(T0),
    ...over,
  };
}

function session(idHash: string, email: string, over: Partial<SessionRecord> = {}): SessionRecord {
  return { idHash, email, via: 'local', createdAt: T0, lastSeenAt: T0, expiresAt: T0 + 12 * HOUR, address: '192.0.2.10', ...over };
}

function apiToken(id: string, email: string, createdAt: number, over: Partial<ApiTokenRecord> = {}): ApiTokenRecord {
  return {
    id,
    hash: `hash-of-${id}`,
    email,
    name: `script ${id}`,
    createdAt: iso(createdAt),
    expiresAt: iso(createdAt + 90 * 24 * HOUR),
    createdBy: 'admin@kommun.example',
    revokedAt: null,
    lastUsedAt: null,
    ...over,
  };
}

type EntryContent = Pick<AuditRecord, 'at' | 'actor' | 'action'> & Partial<Pick<AuditRecord, 'object' | 'address' | 'details'>>;

/**
 * An appendAudit `make`: the next seq and the last link's hash, and a hash over the entry and that
 * link (a stand-in for the real chain of audit-chain.ts). `seen` collects the links it was given.
 */
export function auditEntry(content: EntryContent, seen: (AuditLink | null)[] = []): (last: AuditLink | null) => AuditRecord {
  return (last) => {
    seen.push(last);
    const seq = (last?.seq ?? 0) + 1;
    const fields = { object: null, address: null, details: null, ...content };
    const hash = createHash('sha256').update(JSON.stringify({ last, seq, ...fields })).digest('hex');
    return { seq, ...fields, prevHash: last?.hash ?? '', hash };
  };
}

/** Appends one entry per `at` (epoch ms), one after another. */
async function appendAt(identity: IdentityStore, ats: number[], actor = 'user:a@kommun.example'): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for (const at of ats) out.push(await identity.appendAudit(auditEntry({ at: iso(at), actor, action: 'call.timeline.read', object: 'CA1' })));
  return out;
}

/** The entries carry on from `from` (null: the start) without a gap, each linked to the one before. */
function expectChain(entries: AuditRecord[], from: AuditLink | null): void {
  let prev = from;
  for (const e of entries) {
    expect(e.seq).toBe((prev?.seq ?? 0) + 1);
    expect(e.prevHash).toBe(prev?.hash ?? '');
    prev = { seq: e.seq, hash: e.hash };
  }
}

async function allPages(identity: IdentityStore): Promise<AuditRecord[][]> {
  const pages: AuditRecord[][] = [];
  for await (const page of identity.auditRecords()) pages.push(page);
  return pages;
}

const linkOf = (e: AuditRecord): AuditLink => ({ seq: e.seq, hash: e.hash });

export function runIdentityContract(factory: StoreFactory): void {
  describe(`IdentityStore contract: ${factory.name}`, () => {
    let store: Store;
    let id: IdentityStore;
    beforeEach(async () => {
      store = await factory.open();
      id = store.identity;
    });
    afterEach(async () => {
      await store.close();
      await factory.cleanup?.();
    });

    describe('users', () => {
      test('a user is stored whole and replaced by a later put', async () => {
        const u = staffUser('anna@kommun.example', { roles: ['analyst', 'admin'], disabled: true, failedSignIns: 3, lockedUntil: T0 + MINUTE, mustChangePassword: false });
        await id.putUser(u);
        expect(await id.getUser(u.email)).toEqual(u);
        const changed = { ...u, disabled: false, roles: ['reception' as const], passwordHash: null, source: 'oidc' as const, oidcSubject: 'sub-anna', updatedAt: iso(T0 + HOUR) };
        await id.putUser(changed);
        expect(await id.getUser(u.email)).toEqual(changed);
        expect(await id.getUser('nobody@kommun.example')).toBeNull();
      });

      test('users are listed by e-mail', async () => {
        for (const email of ['cecilia@kommun.example', 'anna@kommun.example', 'bo@kommun.example']) await id.putUser(staffUser(email));
        expect((await id.listUsers()).map((u) => u.email)).toEqual(['anna@kommun.example', 'bo@kommun.example', 'cecilia@kommun.example']);
      });

      test('insertUser creates a user only when the e-mail is free', async () => {
        const first = staffUser('anna@kommun.example', { name: 'First' });
        expect(await id.insertUser(first)).toBe(true);
        expect(await id.insertUser(staffUser('anna@kommun.example', { name: 'Second' }))).toBe(false);
        expect(await id.getUser('anna@kommun.example')).toEqual(first);
        expect(await id.listUsers()).toHaveLength(1);
      });

      test('a user of the identity provider is found by its subject', async () => {
        await id.putUser(staffUser('local@kommun.example'));
        const oidc = staffUser('oidc@kommun.example', { source: 'oidc', oidcSubject: 'sub-123', passwordHash: null, mustChangePassword: false });
        await id.putUser(oidc);
        expect(await id.getUserBySubject('sub-123')).toEqual(oidc);
        expect(await id.getUserBySubject('sub-unknown')).toBeNull();
      });
    });

    describe('sessions', () => {
      test('a session is stored, touched and deleted once', async () => {
        const s = session('h1', 'anna@kommun.example', { via: 'oidc', address: null });
        await id.putSession(s);
        expect(await id.getSession('h1')).toEqual(s);
        await id.touchSession('h1', T0 + 5 * MINUTE);
        expect(await id.getSession('h1')).toEqual({ ...s, lastSeenAt: T0 + 5 * MINUTE });
        expect(await id.deleteSession('h1')).toBe(true);
        expect(await id.getSession('h1')).toBeNull();
        expect(await id.deleteSession('h1')).toBe(false);
      });

      test("deleteSessionsOf ends the user's sessions, returns their hashes and leaves others' alone", async () => {
        await id.putSession(session('a1', 'anna@kommun.example'));
        await id.putSession(session('a2', 'anna@kommun.example'));
        await id.putSession(session('b1', 'bo@kommun.example'));
        expect((await id.deleteSessionsOf('anna@kommun.example')).sort()).toEqual(['a1', 'a2']);
        expect(await id.getSession('a1')).toBeNull();
        expect(await id.getSession('a2')).toBeNull();
        expect(await id.getSession('b1')).not.toBeNull();
        expect(await id.deleteSessionsOf('anna@kommun.example')).toEqual([]);
      });

      test('deleteExpiredSessions removes sessions past their lifetime or idle too long, and keeps the rest', async () => {
        const now = T0 + 10 * HOUR;
        const idleBefore = now - 30 * MINUTE;
        await id.putSession(session('past-lifetime', 'anna@kommun.example', { lastSeenAt: now - MINUTE, expiresAt: now - 1 }));
        await id.putSession(session('idle', 'anna@kommun.example', { lastSeenAt: idleBefore - 1, expiresAt: now + HOUR }));
        await id.putSession(session('active', 'anna@kommun.example', { lastSeenAt: idleBefore + 1, expiresAt: now + HOUR }));
        expect(await id.deleteExpiredSessions(now, idleBefore)).toBe(2);
        expect(await id.getSession('past-lifetime')).toBeNull();
        expect(await id.getSession('idle')).toBeNull();
        expect(await id.getSession('active')).not.toBeNull();
        expect(await id.deleteExpiredSessions(now, idleBefore)).toBe(0);
      });
    });

    describe('API tokens', () => {
      test('a token is found by its hash', async () => {
        const t = apiToken('t1', 'anna@kommun.example', T0);
        await id.putToken(t);
        expect(await id.getTokenByHash('hash-of-t1')).toEqual(t);
        expect(await id.getTokenByHash('hash-of-nothing')).toBeNull();
      });

      test("a user's tokens, and all tokens, are listed newest first", async () => {
        await id.putToken(apiToken('old', 'anna@kommun.example', T0));
        await id.putToken(apiToken('newest', 'anna@kommun.example', T0 + 2 * HOUR));
        await id.putToken(apiToken('middle', 'anna@kommun.example', T0 + HOUR));
        await id.putToken(apiToken('bos', 'bo@kommun.example', T0 + 30 * MINUTE));
        expect((await id.listTokens('anna@kommun.example')).map((t) => t.id)).toEqual(['newest', 'middle', 'old']);
        expect((await id.listTokens()).map((t) => t.id)).toEqual(['newest', 'middle', 'bos', 'old']);
        expect(await id.listTokens('nobody@kommun.example')).toEqual([]);
      });

      test('a token is revoked once, and still listed with the time it was revoked', async () => {
        await id.putToken(apiToken('t1', 'anna@kommun.example', T0));
        const at = iso(T0 + HOUR);
        expect(await id.revokeToken('t1', at)).toBe(true);
        expect(await id.revokeToken('t1', iso(T0 + 2 * HOUR))).toBe(false);
        expect(await id.revokeToken('unknown', at)).toBe(false);
        const [listed] = await id.listTokens('anna@kommun.example');
        expect(listed).toMatchObject({ id: 't1', revokedAt: at });
        expect((await id.getTokenByHash('hash-of-t1'))?.revokedAt).toBe(at);
      });

      test('touchToken records when the token was last used', async () => {
        await id.putToken(apiToken('t1', 'anna@kommun.example', T0));
        await id.touchToken('t1', iso(T0 + MINUTE));
        expect((await id.getTokenByHash('hash-of-t1'))?.lastUsedAt).toBe(iso(T0 + MINUTE));
      });
    });

    describe('pending sign-ins', () => {
      const pending: PendingSignIn = { stateHash: 'state-1', codeVerifier: 'verifier', nonce: 'nonce', returnTo: '/dashboard/live', expiresAt: T0 + 10 * MINUTE };

      test('a pending sign-in is taken once', async () => {
        await id.putPendingSignIn(pending);
        expect(await id.takePendingSignIn('state-1', T0)).toEqual(pending);
        expect(await id.takePendingSignIn('state-1', T0)).toBeNull();
        expect(await id.takePendingSignIn('state-unknown', T0)).toBeNull();
      });

      test('an expired one is not taken, then or later', async () => {
        await id.putPendingSignIn(pending);
        expect(await id.takePendingSignIn('state-1', pending.expiresAt)).toBeNull();
        expect(await id.takePendingSignIn('state-1', T0)).toBeNull();
      });

      test('taking one leaves the other sign-ins under way in place', async () => {
        await id.putPendingSignIn(pending);
        await id.putPendingSignIn({ ...pending, stateHash: 'state-2' });
        expect(await id.takePendingSignIn('state-1', T0)).not.toBeNull();
        expect(await id.takePendingSignIn('state-2', T0)).toEqual({ ...pending, stateHash: 'state-2' });
      });
    });

    describe('audit trail', () => {
      test('appends made at once get seq 1..30 without gaps, each linked to the one before', async () => {
        const made = await Promise.all(
          Array.from({ length: 30 }, (_, i) => id.appendAudit(auditEntry({ at: iso(T0 + i), actor: `user:u${i}@kommun.example`, action: 'call.timeline.read' }))),
        );
        expect(made.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        const stored = await id.listAudit({});
        expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
        expectChain(stored, null);
        // What each append returned is what was stored.
        expect([...made].sort((a, b) => a.seq - b.seq)).toEqual(stored);
      });

      test('the first entry gets no previous link; each later one the last entry', async () => {
        const seen: (AuditLink | null)[] = [];
        const first = await id.appendAudit(auditEntry({ at: iso(T0), actor: 'anonymous', action: 'signin.failed' }, seen));
        const second = await id.appendAudit(auditEntry({ at: iso(T0 + 1), actor: 'anonymous', action: 'signin.failed' }, seen));
        expect(seen).toEqual([null, linkOf(first)]);
        expect(second.prevHash).toBe(first.hash);
      });

      test('an entry that does not follow the last one, or a make that throws, stores nothing; the next append goes on', async () => {
        await appendAt(id, [T0]);
        await expect(id.appendAudit((last) => ({ ...auditEntry({ at: iso(T0 + 1), actor: 'anonymous', action: 'x' })(last), seq: 5 }))).rejects.toThrow(/does not follow/);
        await expect(
          id.appendAudit(() => {
            throw new Error('make failed');
          }),
        ).rejects.toThrow('make failed');
        const [next] = await appendAt(id, [T0 + 2]);
        expect(next.seq).toBe(2);
        expectChain(await id.listAudit({}), null);
      });

      test('listAudit filters by actor, action, object, time, seq, and limits', async () => {
        const a = 'user:anna@kommun.example';
        const entries: EntryContent[] = [
          { at: iso(T0), actor: a, action: 'call.timeline.read', object: 'CA1', address: '192.0.2.1' },
          { at: iso(T0 + MINUTE), actor: 'user:bo@kommun.example', action: 'call.timeline.read', object: 'CA2' },
          { at: iso(T0 + 2 * MINUTE), actor: a, action: 'signin.failed', details: { reason: 'bad-password', count: 2, locked: false } },
          { at: iso(T0 + 3 * MINUTE), actor: 'token:t1:anna@kommun.example', action: 'call.timeline.read', object: 'CA1' },
          { at: iso(T0 + 4 * MINUTE), actor: a, action: 'call.timeline.read', object: 'CA1' },
        ];
        for (const e of entries) await id.appendAudit(auditEntry(e));
        const seqs = async (q: Parameters<IdentityStore['listAudit']>[0]) => (await id.listAudit(q)).map((e) => e.seq);
        expect(await seqs({})).toEqual([1, 2, 3, 4, 5]);
        expect(await seqs({ actor: a })).toEqual([1, 3, 5]);
        expect(await seqs({ action: 'call.timeline.read' })).toEqual([1, 2, 4, 5]);
        expect(await seqs({ object: 'CA1' })).toEqual([1, 4, 5]);
        expect(await seqs({ from: iso(T0 + MINUTE), to: iso(T0 + 3 * MINUTE) })).toEqual([2, 3]);
        expect(await seqs({ afterSeq: 3 })).toEqual([4, 5]);
        expect(await seqs({ limit: 2 })).toEqual([1, 2]);
        expect(await seqs({ afterSeq: 2, limit: 2 })).toEqual([3, 4]);
        expect(await seqs({ actor: a, object: 'CA1', afterSeq: 1 })).toEqual([5]);
        expect(await seqs({ actor: 'nobody' })).toEqual([]);
        // Newest first, paged with beforeSeq, filters as before.
        expect(await seqs({ newestFirst: true })).toEqual([5, 4, 3, 2, 1]);
        expect(await seqs({ newestFirst: true, limit: 2 })).toEqual([5, 4]);
        expect(await seqs({ newestFirst: true, beforeSeq: 4, limit: 2 })).toEqual([3, 2]);
        expect(await seqs({ newestFirst: true, action: 'call.timeline.read', beforeSeq: 5 })).toEqual([4, 2, 1]);
        const [first, , third] = await id.listAudit({});
        expect(first).toMatchObject({ address: '192.0.2.1', object: 'CA1', details: null });
        expect(third).toMatchObject({ object: null, address: null, details: { reason: 'bad-password', count: 2, locked: false } });
      });

      test('auditRecords reads every entry in seq order, a page at a time', async () => {
        expect(await allPages(id)).toEqual([]);
        await appendAt(id, Array.from({ length: 30 }, (_, i) => T0 + i * MINUTE));
        const pages = await allPages(id);
        expect(pages.length).toBeGreaterThan(1);
        for (const page of pages) expect(page.length).toBeGreaterThan(0);
        expect(pages.flat()).toEqual(await id.listAudit({}));
        expect(pages.flat().map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      });

      test('pruning removes only the older entries at the start, keeps the link, and appends go on from what is left', async () => {
        expect(await id.pruneAudit(iso(T0 + 100 * HOUR))).toEqual({ removed: 0, lastRemoved: null });
        expect(await id.auditAnchor()).toBeNull();
        // The fourth is older than the cutoff, but comes after a newer one: it stays.
        const made = await appendAt(id, [T0, T0 + HOUR, T0 + 5 * HOUR, T0 + 2 * HOUR, T0 + 6 * HOUR]);
        expect(await id.pruneAudit(iso(T0 + 3 * HOUR))).toEqual({ removed: 2, lastRemoved: linkOf(made[1]) });
        expect(await id.auditAnchor()).toEqual(linkOf(made[1]));
        const kept = await id.listAudit({});
        expect(kept.map((e) => e.seq)).toEqual([3, 4, 5]);
        expectChain(kept, await id.auditAnchor());
        // Nothing more is older at the start: nothing goes, the anchor stays.
        expect(await id.pruneAudit(iso(T0 + 3 * HOUR))).toEqual({ removed: 0, lastRemoved: null });
        expect(await id.auditAnchor()).toEqual(linkOf(made[1]));

        const [sixth] = await appendAt(id, [T0 + 7 * HOUR]);
        expect(sixth).toMatchObject({ seq: 6, prevHash: made[4].hash });

        // Everything goes: the next entry carries on from the anchor.
        expect(await id.pruneAudit(iso(T0 + 100 * HOUR))).toEqual({ removed: 4, lastRemoved: linkOf(sixth) });
        expect(await id.listAudit({})).toEqual([]);
        expect(await id.auditAnchor()).toEqual(linkOf(sixth));
        const seen: (AuditLink | null)[] = [];
        const seventh = await id.appendAudit(auditEntry({ at: iso(T0 + 101 * HOUR), actor: 'anonymous', action: 'signin.failed' }, seen));
        expect(seen).toEqual([linkOf(sixth)]);
        expect(seventh).toMatchObject({ seq: 7, prevHash: sixth.hash });
        expect((await allPages(id)).flat()).toEqual([seventh]);
      });

      test('pruning a prefix longer than a page removes all of it', async () => {
        const made = await appendAt(id, Array.from({ length: 20 }, (_, i) => T0 + i * MINUTE));
        expect(await id.pruneAudit(iso(T0 + 15 * MINUTE))).toEqual({ removed: 15, lastRemoved: linkOf(made[14]) });
        const kept = await id.listAudit({});
        expect(kept.map((e) => e.seq)).toEqual([16, 17, 18, 19, 20]);
        expectChain(kept, await id.auditAnchor());
      });
    });

    (factory.reopen ? test : test.skip)('users, sessions, tokens and the audit trail survive a reopen', async () => {
      const user = staffUser('anna@kommun.example', { roles: ['admin'] });
      await id.putUser(user);
      const s = session('h1', user.email);
      await id.putSession(s);
      const t = apiToken('t1', user.email, T0);
      await id.putToken(t);
      await id.revokeToken('t1', iso(T0 + HOUR));
      const made = await appendAt(id, [T0, T0 + HOUR, T0 + 2 * HOUR]);
      await id.pruneAudit(iso(T0 + 30 * MINUTE));

      store = await factory.reopen!(store);
      id = store.identity;
      expect(await id.getUser(user.email)).toEqual(user);
      expect(await id.getSession('h1')).toEqual(s);
      expect(await id.listTokens(user.email)).toEqual([{ ...t, revokedAt: iso(T0 + HOUR) }]);
      expect(await id.auditAnchor()).toEqual(linkOf(made[0]));
      expect(await id.listAudit({})).toEqual(made.slice(1));
      const [next] = await appendAt(id, [T0 + 3 * HOUR]);
      expect(next).toMatchObject({ seq: 4, prevHash: made[2].hash });
    });
  });
}
