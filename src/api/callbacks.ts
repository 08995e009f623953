import express from 'express';
import { z } from 'zod';
import { ApiError, ErrorCodes } from '../errors';
import { AuditActions } from '../identity/audit-actions';
import { hasRole } from '../identity/principal';
import type { UserRecord } from '../identity/model';
import type { FlowRegistry } from '../flow/registry';
import { callbackFigures } from '../metrics/callbacks';
import { CallbackSealError, openNumber, type CallbackKey } from '../reception/callback-seal';
import { callbackView } from '../reception/callback-view';
import { isOverdue, type CallbackChange, type CallbackState, type StoredCallback } from '../reception/callbacks';
import type { Store } from '../store/store';
import type { RecordAccess } from './audit-access';
import { principalOf } from './guard';
import { IsoTime, parseQuery } from './query';

export interface CallbacksDeps {
  store: Store;
  registry: FlowRegistry;
  keys: readonly CallbackKey[];
  recordAccess: RecordAccess;
  now: () => number;
  /** A user by e-mail (identity): an assignee must be one, with the reception role. */
  userOf: (email: string) => Promise<UserRecord | null>;
  /** Every user (identity): the inbox offers the enabled ones with the reception role to assign to. */
  listUsers: () => Promise<UserRecord[]>;
  /** Told after each change (the overdue alert's watch reloads). */
  onChange?: () => void;
}

const ListQuery = z.strictObject({
  state: z.enum(['open', 'overdue', 'done', 'expired', 'all']).default('open'),
  flow: z.string().max(64).optional(),
  from: IsoTime.optional(),
  to: IsoTime.optional(),
});

const MetricsQuery = z
  .strictObject({ from: IsoTime.optional(), to: IsoTime.optional(), flow: z.string().max(64).optional() })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after "from"', path: ['to'] });

const AssignBody = z.strictObject({ email: z.email().transform((e) => e.toLowerCase()) });
const TriedBody = z.strictObject({ note: z.string().trim().max(500).optional() });

function body<S extends z.ZodTypeAny>(schema: S, req: express.Request): z.infer<S> {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

/**
 * Reception's callback inbox (reception/callbacks.ts). Reception and admins only (access-rules.ts):
 * the list shows numbers masked; the clear number is one request per callback, on the audit trail.
 * Each change (assign, tried, done) is a row of the callback's history and an audit entry.
 * GET /api/metrics/callbacks gives the analysts the figures, computed without any personal data.
 */
export function callbacksRoutes(deps: CallbacksDeps): express.Router {
  const r = express.Router();
  r.use('/callbacks', express.json({ limit: '2kb' }));
  const open = (sealed: string): string | null => {
    try {
      return openNumber(sealed, deps.keys);
    } catch (err) {
      if (err instanceof CallbackSealError) return null;
      throw err;
    }
  };

  const mustGet = async (id: string): Promise<StoredCallback> => {
    const cb = await deps.store.getCallback(id);
    if (!cb) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, 'No such callback');
    return cb;
  };

  r.get('/callbacks', async (req, res) => {
    const q = parseQuery(ListQuery, req);
    const now = deps.now();
    const states: CallbackState[] | undefined = q.state === 'all' ? undefined : q.state === 'overdue' ? ['open'] : [q.state];
    let found = await deps.store.listCallbacks({ states, flowId: q.flow, from: q.from, to: q.to, limit: 1000 });
    const journeys = await deps.store.getJourneys([...new Set(found.map((c) => c.callSid))]);
    let views = found.map((cb) => callbackView(cb, journeys.get(cb.callSid), cb.flowId ? (deps.registry.get(cb.flowId) ?? null) : null, now, open));
    if (q.state === 'overdue') views = views.filter((v) => v.state === 'overdue');
    if (q.state === 'open') views = views.filter((v) => v.state === 'open' || v.state === 'overdue');
    found = [];
    await deps.recordAccess(req, res, AuditActions.CALLBACKS_READ, null, { state: q.state, callbacks: views.length });
    res.json({ callbacks: views, now: new Date(now).toISOString() });
  });

  // How many wait and how many of them are overdue, for the tab's count: no personal data, so not
  // on the audit trail (the list is, every time it is read).
  r.get('/callbacks/counts', async (_req, res) => {
    const now = deps.now();
    const open = await deps.store.listCallbacks({ states: ['open'], limit: 100_000 });
    res.json({ open: open.length, overdue: open.filter((cb) => isOverdue(cb, now)).length });
  });

  // The colleagues a callback can be assigned to: enabled users with the reception role, name and
  // e-mail only (GET /api/users, with roles and sign-in details, is the admins').
  r.get('/callbacks/assignees', async (_req, res) => {
    const users = await deps.listUsers();
    const assignees = users
      .filter((u) => !u.disabled && u.roles.includes('reception'))
      .map((u) => ({ name: u.name, email: u.email }))
      .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
    res.json({ assignees });
  });

  r.get('/callbacks/:id/number', async (req, res) => {
    const cb = await mustGet(req.params.id);
    const number = open(cb.sealed);
    if (number === null) throw new ApiError(409, ErrorCodes.API_CONFLICT, 'The number cannot be opened: its key is no longer in CALLBACK_KEYS');
    // On the trail before the number is sent; the trail names the callback, never the number.
    await deps.recordAccess(req, res, AuditActions.CALLBACK_NUMBER_READ, cb.id, { callSid: cb.callSid });
    res.json({ id: cb.id, number });
  });

  const change = async (req: express.Request, res: express.Response, make: (by: string) => Promise<CallbackChange>, action: string) => {
    const cb = await mustGet(req.params.id as string);
    if (cb.state !== 'open') throw new ApiError(409, ErrorCodes.API_CONFLICT, `The callback is ${cb.state} already`);
    const by = principalOf(res).email ?? principalOf(res).actor;
    const c = await make(by);
    const changed = await deps.store.changeCallback(cb.id, c);
    if (!changed) throw new ApiError(409, ErrorCodes.API_CONFLICT, 'The callback was closed meanwhile');
    await deps.recordAccess(req, res, action as never, cb.id, { callSid: cb.callSid, ...(c.assignedTo ? { assignedTo: c.assignedTo } : {}) });
    deps.onChange?.();
    const journey = (await deps.store.getJourneys([cb.callSid])).get(cb.callSid);
    res.json(callbackView(changed, journey, changed.flowId ? (deps.registry.get(changed.flowId) ?? null) : null, deps.now(), open));
  };
  const at = () => new Date(deps.now()).toISOString();

  r.post('/callbacks/:id/assign', (req, res) =>
    change(
      req,
      res,
      async (by) => {
        const { email } = body(AssignBody, req);
        const me = principalOf(res);
        if (email !== me.email) {
          const user = await deps.userOf(email);
          if (!user || user.disabled || !user.roles.includes('reception')) {
            throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'email: not a colleague with the reception role');
          }
        } else if (!hasRole(me, 'reception')) {
          throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'email: only someone with the reception role takes a callback');
        }
        return { at: at(), action: 'assigned', by, assignedTo: email };
      },
      AuditActions.CALLBACK_ASSIGNED,
    ),
  );

  r.post('/callbacks/:id/tried', (req, res) =>
    change(
      req,
      res,
      async (by) => {
        const { note } = body(TriedBody, req);
        return { at: at(), action: 'tried', by, ...(note ? { note } : {}) };
      },
      AuditActions.CALLBACK_TRIED,
    ),
  );

  r.post('/callbacks/:id/done', (req, res) => change(req, res, async (by) => ({ at: at(), action: 'done', by }), AuditActions.CALLBACK_DONE));

  r.get('/metrics/callbacks', async (req, res) => {
    const q = parseQuery(MetricsQuery, req);
    const found = await deps.store.listCallbacks({ from: q.from, to: q.to, flowId: q.flow, limit: 1_000_000 });
    // Only times, states and tries go in: figures, never a number or a name.
    const figures = callbackFigures(
      found.map(({ requestedAt, deadline, state, closedAt, tries }) => ({ requestedAt, deadline, state, closedAt, tries })),
      deps.now(),
    );
    res.json({ from: q.from ?? null, to: q.to ?? null, flow: q.flow ?? null, callbacks: figures });
  });
  return r;
}
