import type { Request } from 'express';
import { z } from 'zod';
import { ApiError, ErrorCodes } from '../errors';

/** Parses query parameters with a schema; a bad one is a 400 that names the parameter. */
export function parseQuery<S extends z.ZodTypeAny>(schema: S, req: Request): z.infer<S> {
  const r = schema.safeParse(req.query);
  if (!r.success) {
    const first = r.error.issues[0];
    const name = first.path.join('.') || '(query)';
    throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, `Invalid query parameter "${name}": ${first.message}`, {
      parameters: r.error.issues.map((i) => ({ name: i.path.join('.'), message: i.message })),
    });
  }
  return r.data;
}

/** An ISO date or date-time; a bare date means midnight UTC. */
export const IsoTime = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) && Number.isFinite(Date.parse(s)), 'must be an ISO date or date-time, e.g. 2026-03-01 or 2026-03-01T08:00:00Z')
  .transform((s) => new Date(s).toISOString());
