import express from 'express';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { FlowRegistry } from '../flow/registry';
import { DIM_CALL, H } from '../metrics/dims';
import { distributionOf, readHistogram } from '../metrics/histogram';
import { mergeBy } from '../metrics/measures';
import { readRollups } from '../metrics/read';
import { summaryFromRollups } from '../metrics/summary';
import type { Store } from '../store/store';
import { displayBins, weeksIn } from './dashboard-series';
import { hourRange } from './metrics-params';
import { IsoTime, parseQuery } from './query';
import { nodeLabel } from '../flow/node-label';
import { ApiError, ErrorCodes } from '../errors';
import { flowPicture } from './flow-picture';

/**
 * Chart data the metrics API does not give as such: a wait-time histogram in display bins, and
 * the key figures per local calendar week. Both read rollups only, like the metrics API.
 *
 * GET /api/dashboard/wait-histogram?from&to&flow&version&measure=timeToOperator|timeToHuman|lostMs
 *   → { range, measure, bins: [{fromMs, toMs|null, count}], distribution: {count, median, p90, mean} }
 * GET /api/dashboard/trend?from&to&flow&version
 *   → { range, timeZone, weeks: [{label "2026-W05", year, week, from, to, days (local days in the
 *        range), partial (days < 7: the range holds only part of the week), calls, answeredShare,
 *        abandonedShare, fallbackRate, timeToOperatorMedianMs, lostMedianMs,
 *        bemotande: {index, answers}, enkelhet: {index, answers}}] }   (at most 106 weeks)
 * GET /api/dashboard/flow-graph?flow → FlowPicture (see flow-picture.ts): the flow in service as
 *   steps (id, type, label, text, ring, role) and arrows (from, to, dotted, parts: what takes them as
 *   codes: kind, key, reason, digits, language, hours), for the picture the page words itself; 404 for
 *   a flow not in service
 * GET /api/dashboard/labels
 *   → { flows: { <flowId>: { name, targets: { <targetId>: label }, queues: { <queue>: label }, nodes: { <nodeId>: label },
 *        types: { <nodeId>: node type } } } }   (a page names a step with no label by its type, in words;
 *        a fallback out of a queue names the queue as its target)
 *     departments, the operator and the flow's steps as staff know them (every loaded version, the
 *     current one winning); people in the directory are left out: the pages show an extension, not a name.
 */
export interface DashboardChartsDeps {
  registry: FlowRegistry;
  store: Store;
  clock: Clock;
  timeZone: string;
}

const Range = {
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  flow: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be a flow id, e.g. vaxel').optional(),
  version: z.string().regex(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,19}$/, 'must be flow versions, comma-separated').optional(),
};
const checks = <T extends z.ZodType<{ from?: string; to?: string; flow?: string; version?: string }>>(s: T) =>
  s
    .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'must be after "from"', path: ['to'] })
    .refine((q) => !q.version || q.flow, { message: 'needs "flow": a version belongs to one flow', path: ['version'] });

const HistogramQuery = checks(z.strictObject({ ...Range, measure: z.enum(['timeToOperator', 'timeToHuman', 'lostMs']).default('timeToOperator') }));
const TrendQuery = checks(z.strictObject(Range));
const FlowGraphQuery = z.strictObject({ flow: Range.flow.unwrap() });

const MAX_WEEKS = 106;
const iso = (ms: number) => new Date(ms).toISOString();

export function dashboardChartRoutes(deps: DashboardChartsDeps): express.Router {
  const r = express.Router();

  r.get('/dashboard/wait-histogram', async (req, res) => {
    const q = parseQuery(HistogramQuery, req);
    const { from, to } = hourRange(q, deps.clock.now());
    const { docs } = await readRollups(deps.store, { from, to, flowId: q.flow, flowVersions: q.version?.split(','), dims: [DIM_CALL] });
    const counters = mergeBy(docs).get(DIM_CALL) ?? {};
    const name = H[q.measure];
    res.json({ range: { from: iso(from), to: iso(to) }, measure: q.measure, bins: displayBins(readHistogram(counters, name)), distribution: distributionOf(counters, name) });
  });

  r.get('/dashboard/trend', async (req, res) => {
    const q = parseQuery(TrendQuery, req);
    const { from, to } = hourRange(q, deps.clock.now());
    const weeks = weeksIn(from, to, deps.timeZone).slice(-MAX_WEEKS);
    const rows = await Promise.all(
      weeks.map(async (w) => {
        const { docs } = await readRollups(deps.store, { from: w.from, to: w.to, flowId: q.flow, flowVersions: q.version?.split(','), dims: [DIM_CALL] });
        const s = summaryFromRollups(docs);
        return {
          label: w.label,
          year: w.year,
          week: w.week,
          from: iso(w.from),
          to: iso(w.to),
          days: w.days,
          partial: w.partial,
          calls: s.calls,
          answeredShare: s.answered.share,
          abandonedShare: s.abandoned.total.share,
          fallbackRate: s.fallback.rate,
          timeToOperatorMedianMs: s.timeToOperatorMs.median,
          lostMedianMs: s.fallback.lostMs.median,
          bemotande: { index: s.bemotande.index, answers: s.bemotande.answers },
          enkelhet: { index: s.enkelhet.index, answers: s.enkelhet.answers },
        };
      }),
    );
    res.json({ range: { from: iso(from), to: iso(to) }, timeZone: deps.timeZone, weeks: rows });
  });

  r.get('/dashboard/flow-graph', (req, res) => {
    const { flow: id } = parseQuery(FlowGraphQuery, req);
    const flow = deps.registry.get(id);
    if (!flow) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, `No flow "${id}" in service`);
    res.json(flowPicture(flow));
  });

  r.get('/dashboard/labels', (_req, res) => {
    const flows: Record<string, { name: string; targets: Record<string, string>; queues: Record<string, string>; nodes: Record<string, string>; types: Record<string, string> }> = {};
    for (const f of [...deps.registry.allVersions(), ...deps.registry.list()]) {
      const entry = (flows[f.id] ??= { name: f.name, targets: {}, queues: {}, nodes: {}, types: {} });
      entry.name = f.name;
      for (const [id, target] of Object.entries(f.targets)) entry.targets[id] = target.label;
      for (const [id, queue] of Object.entries(f.queues)) entry.queues[id] = queue.label;
      for (const [id, node] of Object.entries(f.nodes)) {
        const label = nodeLabel(f, id);
        if (label) entry.nodes[id] = label;
        entry.types[id] = node.type;
      }
    }
    res.json({ flows });
  });

  return r;
}
