import express from 'express';
import { openNumber, type CallbackKey } from '../reception/callback-seal';
import { z } from 'zod';
import type { PseudonymKey } from '../config';
import { ApiError, ErasurePendingError, ErrorCodes } from '../errors';
import type { ErasureResult } from '../privacy/erasure';
import { allPseudonyms, normalizeNumber } from '../privacy/pseudonym';
import type { Store } from '../store/store';
import { AuditActions } from '../identity/audit-actions';
import type { RecordAccess } from './audit-access';

const CallerRequest = z.strictObject({ number: z.string().min(3).max(40) });

/**
 * A resident's request about their own data (GDPR art. 15 and 17). The number arrives in a POST body,
 * never a URL, so it stays out of access logs; it is turned into its pseudonyms at once and dropped.
 */
export function privacyRoutes(
  store: Store,
  keys: readonly PseudonymKey[],
  erase: (pseudonyms: string[]) => Promise<ErasureResult>,
  recordAccess: RecordAccess,
  callbackKeys: readonly CallbackKey[] = [],
): express.Router {
  const r = express.Router();
  r.use('/privacy', express.json({ limit: '2kb' }));

  const pseudonymsOf = (body: unknown): string[] => {
    const parsed = CallerRequest.safeParse(body);
    if (!parsed.success) throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Body must be JSON {"number": "+46…"}');
    if (!normalizeNumber(parsed.data.number)) throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Invalid field "number": not a phone number');
    return allPseudonyms(parsed.data.number, keys);
  };

  const callsOf = async (pseudonyms: string[]) => (await Promise.all(pseudonyms.map((p) => store.journeysOfCaller(p)))).flat();

  /** Everything stored about one caller: their journeys, the events behind them, and the comments they spoke. */
  r.post('/privacy/caller-data', async (req, res) => {
    const pseudonyms = pseudonymsOf(req.body);
    // Recorded by the current key's pseudonym: the trail never holds the number.
    await recordAccess(req, res, AuditActions.REGISTER_EXTRACT, pseudonyms[0]);
    const journeys = await callsOf(pseudonyms);
    const comments = await store.commentsOf(journeys.map((j) => j.callSid));
    // The caller's own callbacks, the number in clear: it is their data, and this extract is the admins' alone, audited.
    const callbacks = await store.callbacksOf(journeys.map((j) => j.callSid));
    const clear = (sealed: string) => {
      try {
        return openNumber(sealed, callbackKeys);
      } catch {
        return null;
      }
    };
    const calls = await Promise.all(
      journeys.map(async (journey) => ({
        journey,
        events: await store.eventsForCall(journey.callSid),
        comments: comments.filter((c) => c.callSid === journey.callSid).map((c) => ({ at: c.at, text: c.text, confidence: c.confidence, language: c.language })),
        callbacks: callbacks
          .filter((c) => c.callSid === journey.callSid)
          .map(({ sealed, caller: _caller, ...c }) => ({ ...c, number: clear(sealed) })),
      })),
    );
    res.json({
      pseudonyms,
      note: 'Stored under these pseudonyms (keyed hashes of the number). Spoken comments are kept apart from the calls, for a shorter time. Hourly statistics hold counts only and nothing about any one caller.',
      calls,
    });
  });

  /** Erases what is stored and what waits to be stored (see privacy/erasure.ts); 503 and nothing erased if the latter cannot be stored now. */
  r.post('/privacy/caller-data/erase', async (req, res) => {
    const pseudonyms = pseudonymsOf(req.body);
    try {
      const erased = await erase(pseudonyms);
      await recordAccess(req, res, AuditActions.ERASURE, pseudonyms[0], { journeys: erased.journeys, events: erased.events });
      res.json({ erased });
    } catch (err) {
      if (!(err instanceof ErasurePendingError)) throw err;
      res.set('Retry-After', '30');
      throw new ApiError(503, err.code, err.message, err.details);
    }
  });

  return r;
}
