import express from 'express';
import { z } from 'zod';
import { ApiError, ErrorCodes } from '../errors';
import { AuditActions } from '../identity/audit-actions';
import type { StoredComment } from '../reception/comments';
import { commentView, matchesFilter, type CommentFilter, type CommentView } from '../reception/comment-view';
import type { Store } from '../store/store';
import type { RecordAccess } from './audit-access';
import { IsoTime, parseQuery } from './query';

const FALLBACKS = ['any', 'none', 'no-answer', 'busy', 'failed', 'queue-full', 'max-wait'] as const;

const ListQuery = z
  .strictObject({
    from: IsoTime.optional(),
    to: IsoTime.optional(),
    flow: z.string().max(64).optional(),
    /** bemötande or enkelhet among these: "1,2" */
    score: z
      .string()
      .regex(/^[1-5](,[1-5])*$/, 'must be scores 1–5 separated by commas, e.g. 1,2')
      .transform((s) => [...new Set(s.split(',').map(Number))])
      .optional(),
    fallback: z.enum(FALLBACKS).optional(),
    target: z.string().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    /** opaque cursor from a previous page */
    cursor: z.string().max(200).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after "from"', path: ['to'] });

/** Comments read per store request while a filter looks for matches, and at most per API request. */
const SCAN_PAGE = 200;
const MAX_SCANNED = 5000;

const cursorOf = (c: { at: string; id: string }) => Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');

function decodeCursor(c: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Invalid query parameter "cursor": not a cursor from this API');
}

/**
 * GET /api/comments: callers' spoken comments, newest first, each beside its call's path and survey
 * scores, filterable by score, fallback and target. Comments are personal data (residents say names
 * and case details): reception and admins only (access-rules.ts), and every read is on the audit
 * trail before anything is sent, an empty page included.
 */
export function commentsRoutes(store: Store, recordAccess: RecordAccess): express.Router {
  const r = express.Router();
  r.get('/comments', async (req, res) => {
    const q = parseQuery(ListQuery, req);
    const filter: CommentFilter = { scores: q.score, fallback: q.fallback, target: q.target };
    const found: CommentView[] = [];
    let cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    let scanned = 0;
    let more = true;
    // Pages of the range's comments, newest first, kept when their call matches; at most MAX_SCANNED read.
    pages: while (more && scanned < MAX_SCANNED) {
      const page: StoredComment[] = await store.listComments({ from: q.from, to: q.to, flowId: q.flow, limit: SCAN_PAGE, before: cursor });
      more = page.length === SCAN_PAGE;
      const journeys = await store.getJourneys([...new Set(page.map((c) => c.callSid))]);
      for (let i = 0; i < page.length; i++) {
        scanned++;
        cursor = { at: page[i].at, id: page[i].id };
        const journey = journeys.get(page[i].callSid);
        if (matchesFilter(journey, filter) && found.push(commentView(page[i], journey)) === q.limit) {
          more = more || i < page.length - 1;
          break pages;
        }
      }
    }
    await recordAccess(req, res, AuditActions.COMMENTS_READ, null, { comments: found.length, ...(found.length ? { calls: [...new Set(found.map((c) => c.callSid))].length } : {}) });
    res.json({ comments: found, scanned, nextCursor: more && cursor ? cursorOf(cursor) : null });
  });
  return r;
}
