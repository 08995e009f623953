import express from 'express';
import { z } from 'zod';
import { ApiError, ErrorCodes } from '../errors';
import { inEventOrder } from '../journey/events';
import type { Journey } from '../journey/journey';
import { countsIn, parseFigure } from '../metrics/figure-calls';
import type { Store } from '../store/store';
import { AuditActions } from '../identity/audit-actions';
import { hasRole } from '../identity/principal';
import type { RecordAccess } from './audit-access';
import { principalOf } from './guard';
import { IsoTime, parseQuery } from './query';

const ListQuery = z
  .strictObject({
    from: IsoTime.optional(),
    to: IsoTime.optional(),
    flow: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** opaque cursor from a previous page */
    cursor: z.string().max(200).optional(),
    /** only the calls a figure counts: noHelp, fallback:<node>|<target>|<reason>|<route>, outcome:<outcome> */
    figure: z
      .string()
      .max(300)
      .refine((f) => parseFigure(f) !== null, 'must be noHelp, fallback:<node>|<target>|<reason>|<route> or outcome:<outcome>')
      .optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after "from"', path: ['to'] });

const CallSid = z.string().regex(/^CA[0-9a-fA-F]{32}$/);

/** Journeys read per store request when a figure's calls are looked for, and at most per API request. */
const SCAN_PAGE = 500;
const MAX_SCANNED = 20_000;

const cursorOf = (at: { startedAt: string | null; callSid: string }) => Buffer.from(JSON.stringify([at.startedAt ?? '', at.callSid])).toString('base64url');

function decodeCursor(c: string): { startedAt: string; callSid: string } {
  try {
    const [startedAt, callSid] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (typeof startedAt === 'string' && typeof callSid === 'string') return { startedAt, callSid };
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Invalid query parameter "cursor": not a cursor from this API');
}

/** A journey as the principal may see it: the caller's pseudonym, which links a caller's calls, for admins only. */
const withoutCaller = (j: Journey): Journey => ({ ...j, caller: null });

export function callsRoutes(store: Store, recordAccess: RecordAccess): express.Router {
  const r = express.Router();
  const shown = async (req: express.Request, res: express.Response, calls: Journey[]) => {
    if (!hasRole(principalOf(res), 'admin')) return calls.map(withoutCaller);
    if (calls.length) await recordAccess(req, res, AuditActions.CALLS_LISTED, null, { calls: calls.length });
    return calls;
  };

  r.get('/calls', async (req, res) => {
    const q = parseQuery(ListQuery, req);
    const before = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (!q.figure) {
      const calls = await store.listJourneys({ from: q.from, to: q.to, flowId: q.flow, limit: q.limit, before });
      const last = calls[calls.length - 1];
      res.json({ calls: await shown(req, res, calls), nextCursor: calls.length === q.limit && last ? cursorOf(last) : null });
      return;
    }
    // A figure's calls: pages of the range's journeys, newest first, kept when the figure counts them.
    // A listing, not a metric: it reads journeys, at most MAX_SCANNED per request, and says where to go on.
    const figure = parseFigure(q.figure)!;
    const calls: Journey[] = [];
    let scanned = 0;
    let cursor = before;
    let more = true;
    pages: while (more && scanned < MAX_SCANNED) {
      const page = await store.listJourneys({ from: q.from, to: q.to, flowId: q.flow, limit: SCAN_PAGE, before: cursor });
      more = page.length === SCAN_PAGE;
      for (let i = 0; i < page.length; i++) {
        scanned++;
        cursor = { startedAt: page[i].startedAt ?? '', callSid: page[i].callSid };
        if (countsIn(page[i], figure) && calls.push(page[i]) === q.limit) {
          // Journeys left in this page, or a full page read: there may be more behind the cursor.
          more = more || i < page.length - 1;
          break pages;
        }
      }
    }
    res.json({ calls: await shown(req, res, calls), scanned, nextCursor: more && cursor ? cursorOf(cursor) : null });
  });

  r.get('/calls/:callSid/timeline', async (req, res) => {
    if (!CallSid.safeParse(req.params.callSid).success) {
      throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Invalid path parameter "callSid": must be CA followed by 32 hex digits');
    }
    const [journey, events, comments] = await Promise.all([store.getJourney(req.params.callSid), store.eventsForCall(req.params.callSid), store.commentsOf([req.params.callSid])]);
    if (!journey && !events.length) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, `No call ${req.params.callSid}`);
    // A call's timeline is personal data: every read is on the audit trail, before it is sent.
    await recordAccess(req, res, AuditActions.CALL_TIMELINE_READ, req.params.callSid);
    const admin = hasRole(principalOf(res), 'admin');
    res.json({
      journey: journey && !admin ? withoutCaller(journey) : journey,
      events: inEventOrder(events).map((e) => (e.type === 'call.started' && !admin ? { ...e, caller: null } : e)),
      // The caller's spoken words, kept apart from the events (see reception/comments.ts); read by the same audited request.
      comments: comments.map((c) => ({ at: c.at, text: c.text, confidence: c.confidence, language: c.language })),
    });
  });

  r.get('/calls/:callSid', async (req, res) => {
    if (!CallSid.safeParse(req.params.callSid).success) {
      throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Invalid path parameter "callSid": must be CA followed by 32 hex digits');
    }
    const journey = await store.getJourney(req.params.callSid);
    if (!journey) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, `No call ${req.params.callSid}`);
    await recordAccess(req, res, AuditActions.CALL_READ, req.params.callSid);
    res.json(hasRole(principalOf(res), 'admin') ? journey : withoutCaller(journey));
  });

  return r;
}
