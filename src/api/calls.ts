import express from 'express';
import { z } from 'zod';
import { ApiError, ErrorCodes } from '../errors';
import type { Store } from '../store/store';
import { IsoTime, parseQuery } from './query';

const ListQuery = z
  .strictObject({
    from: IsoTime.optional(),
    to: IsoTime.optional(),
    flow: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** opaque cursor from a previous page */
    cursor: z.string().max(200).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after "from"', path: ['to'] });

const CallSid = z.string().regex(/^CA[0-9a-fA-F]{32}$/);

function decodeCursor(c: string): { startedAt: string; callSid: string } {
  try {
    const [startedAt, callSid] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (typeof startedAt === 'string' && typeof callSid === 'string') return { startedAt, callSid };
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Invalid query parameter "cursor": not a cursor from this API');
}

export function callsRoutes(store: Store): express.Router {
  const r = express.Router();

  r.get('/calls', async (req, res) => {
    const q = parseQuery(ListQuery, req);
    const calls = await store.listJourneys({ from: q.from, to: q.to, flowId: q.flow, limit: q.limit, before: q.cursor ? decodeCursor(q.cursor) : undefined });
    const last = calls[calls.length - 1];
    const nextCursor = calls.length === q.limit && last ? Buffer.from(JSON.stringify([last.startedAt ?? '', last.callSid])).toString('base64url') : null;
    res.json({ calls, nextCursor });
  });

  r.get('/calls/:callSid', async (req, res) => {
    if (!CallSid.safeParse(req.params.callSid).success) {
      throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Invalid path parameter "callSid": must be CA followed by 32 hex digits');
    }
    const journey = await store.getJourney(req.params.callSid);
    if (!journey) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, `No call ${req.params.callSid}`);
    res.json(journey);
  });

  return r;
}
