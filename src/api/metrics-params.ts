import { z } from 'zod';
import { ceilHour, floorHour } from '../metrics/grains';
import { IsoTime } from './query';

/** Query parameters of the metrics routes. Every bad one is a 400 that names it (see parseQuery). */

const FlowId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be a flow id, e.g. vaxel');
const FlowVersion = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a flow version, e.g. 3f2a9c1b7d4e');
const Format = z.enum(['json', 'csv']).default('json');

const DAY = 86_400_000;

const Range = {
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  flow: FlowId.optional(),
  /** One or more versions of the flow, comma-separated. */
  version: z
    .string()
    .max(400)
    .transform((s) => s.split(','))
    .pipe(z.array(FlowVersion).min(1).max(20))
    .optional(),
  format: Format,
};

type RangeQuery = { from?: string; to?: string; flow?: string; version?: string[] };

const rangeChecks = <T extends z.ZodType<RangeQuery>>(schema: T) =>
  schema
    .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after "from"', path: ['to'] })
    .refine((q) => !q.version || q.flow, { message: 'needs "flow": a version belongs to one flow', path: ['version'] });

export const SummaryQuery = rangeChecks(z.strictObject(Range));
export const NodesQuery = SummaryQuery;
export const QueuesQuery = SummaryQuery;
export const FallbacksQuery = rangeChecks(z.strictObject({ ...Range, by: z.enum(['route', 'node', 'rescue']).default('route') }));
export const SkrQuery = rangeChecks(z.strictObject({ ...Range, year: z.coerce.number().int().min(2000).max(2100).optional() }));

/** One side of a comparison: a flow version, or a period "from/to" (ISO 8601 interval; "from..to" also works). */
export type CompareSpec = { kind: 'version'; version: string } | { kind: 'period'; from: string; to: string };

const Side = z.string().transform((s, ctx): CompareSpec => {
  const parts = s.includes('/') ? s.split('/') : s.includes('..') ? s.split('..') : null;
  if (!parts) {
    const v = FlowVersion.safeParse(s);
    if (v.success) return { kind: 'version', version: v.data };
  } else if (parts.length === 2) {
    const [from, to] = parts.map((p) => IsoTime.safeParse(p));
    if (from.success && to.success && from.data < to.data) return { kind: 'period', from: from.data, to: to.data };
  }
  ctx.addIssue({ code: 'custom', message: 'must be a flow version (e.g. 3f2a9c1b7d4e) or a period "from/to" (e.g. 2026-01-01/2026-02-01)' });
  return z.NEVER;
});

export const CompareQuery = z
  .strictObject({ flow: FlowId, a: Side, b: Side, from: IsoTime.optional(), to: IsoTime.optional(), format: Format })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after "from"', path: ['to'] });

export const CallsCsvQuery = z
  .strictObject({
    from: IsoTime.optional(),
    to: IsoTime.optional(),
    flow: FlowId.optional(),
    limit: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after "from"', path: ['to'] });

/** The range a view covers: whole hours (rollups are hourly), by default the last `defaultDays` days. */
export function hourRange(q: { from?: string; to?: string }, now: number, defaultDays = 30): { from: number; to: number } {
  const to = q.to ? ceilHour(Date.parse(q.to)) : ceilHour(now);
  const from = q.from ? floorHour(Date.parse(q.from)) : to - defaultDays * DAY;
  return { from, to: Math.max(to, from) };
}
