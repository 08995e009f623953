import type { IdentityStore } from '../identity/model';

/**
 * An IdentityStore that looks up the store to use at each call, through `target`. When `target`
 * throws (OpeningStore's store is not open) a method fails the way one of a store that is down does:
 * as a rejected promise, and auditRecords() once it is iterated.
 */
export function forwardIdentity(target: () => IdentityStore): IdentityStore {
  const call = async <T>(use: (store: IdentityStore) => Promise<T>): Promise<T> => use(target());
  return {
    getUser: (email) => call((s) => s.getUser(email)),
    getUserBySubject: (subject) => call((s) => s.getUserBySubject(subject)),
    listUsers: () => call((s) => s.listUsers()),
    putUser: (user) => call((s) => s.putUser(user)),
    insertUser: (user) => call((s) => s.insertUser(user)),
    putSession: (session) => call((s) => s.putSession(session)),
    getSession: (idHash) => call((s) => s.getSession(idHash)),
    touchSession: (idHash, lastSeenAt) => call((s) => s.touchSession(idHash, lastSeenAt)),
    deleteSession: (idHash) => call((s) => s.deleteSession(idHash)),
    deleteSessionsOf: (email) => call((s) => s.deleteSessionsOf(email)),
    deleteExpiredSessions: (now, idleBefore) => call((s) => s.deleteExpiredSessions(now, idleBefore)),
    putToken: (token) => call((s) => s.putToken(token)),
    getTokenByHash: (hash) => call((s) => s.getTokenByHash(hash)),
    listTokens: (email) => call((s) => s.listTokens(email)),
    revokeToken: (id, at) => call((s) => s.revokeToken(id, at)),
    touchToken: (id, at) => call((s) => s.touchToken(id, at)),
    putPendingSignIn: (pending) => call((s) => s.putPendingSignIn(pending)),
    takePendingSignIn: (stateHash, now) => call((s) => s.takePendingSignIn(stateHash, now)),
    appendAudit: (make) => call((s) => s.appendAudit(make)),
    listAudit: (query) => call((s) => s.listAudit(query)),
    async *auditRecords() {
      yield* target().auditRecords();
    },
    pruneAudit: (before) => call((s) => s.pruneAudit(before)),
    auditAnchor: () => call((s) => s.auditAnchor()),
  };
}
