import express from 'express';
import { z } from 'zod';
import { AuditActions } from '../identity/audit-actions';
import type { AuditTrail } from '../identity/audit-trail';
import type { AuditRecord } from '../identity/model';
import type { RecordAccess } from './audit-access';
import { csvLine, startCsv } from './csv';
import { IsoTime, parseQuery } from './query';

const AuditQueryParams = z
  .strictObject({
    /** An e-mail address (the user, by session or token) or a whole actor (`service:API_TOKEN`). */
    user: z.string().max(254).optional(),
    action: z.string().max(64).optional(),
    object: z.string().max(254).optional(),
    from: IsoTime.optional(),
    to: IsoTime.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** Paging: entries after this seq (oldest first), or before it (newest first). */
    after: z.coerce.number().int().min(0).optional(),
    before: z.coerce.number().int().min(1).optional(),
    /** newest (default): the latest entries first, as an admin looks for what just happened; oldest: in the order written. */
    order: z.enum(['newest', 'oldest']).default('newest'),
  })
  .refine((q) => q.after === undefined || q.order === 'oldest', { message: '"after" pages oldest first: add order=oldest, or page newest first with "before"', path: ['after'] })
  .refine((q) => q.before === undefined || q.order === 'newest', { message: '"before" pages newest first', path: ['before'] })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after "from"', path: ['to'] });

const actorOf = (user: string | undefined) => (user === undefined ? undefined : user.includes(':') ? user : `user:${user.trim().toLowerCase()}`);

function entryView(e: AuditRecord) {
  return { seq: e.seq, at: e.at, actor: e.actor, action: e.action, object: e.object, address: e.address, details: e.details };
}

/** The audit trail for admins, filtered, as JSON or CSV; reading it is itself recorded. */
export function auditRoutes(audit: AuditTrail, recordAccess: RecordAccess): express.Router {
  const r = express.Router();
  r.get(['/audit', '/audit.csv'], async (req, res) => {
    const q = parseQuery(AuditQueryParams, req);
    const newestFirst = q.order === 'newest';
    const records = await audit.list({ actor: actorOf(q.user), action: q.action, object: q.object, from: q.from, to: q.to, limit: q.limit, afterSeq: q.after, beforeSeq: q.before, newestFirst });
    await recordAccess(req, res, AuditActions.AUDIT_READ, null, { entries: records.length });
    if (req.path.endsWith('.csv')) {
      startCsv(res, 'callpath-audit.csv');
      res.end(csvLine(['seq', 'at', 'actor', 'action', 'object', 'address', 'details']) + records.map((e) => csvLine([e.seq, e.at, e.actor, e.action, e.object, e.address, e.details ? JSON.stringify(e.details) : ''])).join(''));
      return;
    }
    res.set('Cache-Control', 'no-store');
    // The next page's parameter: `before` newest first, `after` oldest first.
    const last = records.length === q.limit ? records[records.length - 1].seq : null;
    res.json({ records: records.map(entryView), next: last === null ? null : newestFirst ? { before: last } : { after: last } });
  });
  return r;
}
