/**
 * Call-path metrics API. Every route reads rollups only (never a scan of calls), so a year costs
 * about what a day does. All routes need a bearer token (staff or admin). Times are milliseconds,
 * shares are fractions 0–1, indices are SKR index points 0–100 with one decimal. Percentiles are by
 * nearest rank from mergeable histograms: within ±1.6 % of the exact value (exact below 64, so key
 * counts are exact). A null means "no data" (no calls, no answers).
 *
 * Common query parameters (a bad one is a 400 {error: {code: "API_BAD_REQUEST", message:
 * 'Invalid query parameter "<name>": …', parameters: [{name, message}]}}):
 *   from, to   ISO date or date-time; widened to whole hours (an hour counts when it starts in
 *              [from, to)); default: the 30 days up to the current hour, said in the answer's
 *              range.defaultDays (absent when from is given).
 *   flow       flow id (default: all flows)      version   flow version(s), comma-separated; needs flow
 *   format     json (default) | csv — or append .csv to the path
 *
 * Every JSON answer carries the envelope
 *   { range: {from, to}, flowId: string|null, flowVersions: string[]|null,
 *     read: {pieces: number, rollups: number} }   // how the range was cut and how many rollups were read
 * plus the view:
 *
 * GET /api/metrics/summary → { ...envelope, summary: Summary }
 *   Summary = { calls, answered: Share, answeredBy: {operator, department, person},
 *     abandoned: {total, inMenu, whileRinging, afterFallback: Share}, selfService: Share, outsideHours: Share, errors: Share,
 *     timeToHumanMs, timeToOperatorMs, keyPresses, keyPressesBeforeHuman: Distribution,
 *     fallback: {calls, rate, occurrences, lostMs: Distribution, lostKeys: Distribution},
 *     survey: {offered, declined, responded, completed, responseRate},
 *     bemotande: IndexValue, enkelhet: IndexValue,
 *     firstContactResolution: {share, yes, answers},
 *     byFallback: {with: SurveyIndices, without: SurveyIndices},
 *     noHelp: NoHelp }
 *   NoHelp ("fick ingen hjälp": ended calls no human answered, however they ended) = { calls: Share,
 *     spentMs: Distribution (start to end, ring time included), spentTotalMs, ringTotalMs (phones
 *     ringing unanswered), byOutcome: {abandoned_in_menu, self_service, …: n} (outcomes that occurred) }
 *   Share = {count, share}   Distribution = {count, median, p90, mean}
 *   IndexValue = {index, answers, counts: {"1".."5": n}}   SurveyIndices = {calls, bemotande, enkelhet}
 *
 * GET /api/metrics/fallbacks?by=route|node|rescue → { ...envelope, by, noHelp: NoHelp, fallbacks: FallbackRow[] }
 *   (most time lost first: lostTotalMs, then occurrences)
 *   FallbackRow = { flowId, nodeId, target (null when by=node|rescue), reason: "no-answer"|"busy"|"failed"|"queue-full"|"max-wait"|"notice",
 *     route (null when by=node|rescue), rescue (only by=rescue: who answered after it, "backup"|"operator"|
 *     "person"|"department"|"none"), occurrences, calls, lostMs: Distribution (per occurrence, from the
 *     unanswered ring's start until a human answered or the call ended), lostTotalMs, lostKeys: Distribution,
 *     outcomes: {answered_by_operator, answered_by_person, answered_by_department, abandoned, ended_by_ivr},
 *     abandoned: Share (of occurrences), through: SurveyIndices, notThrough: SurveyIndices,
 *     indexGap: {bemotande, enkelhet} (through − notThrough) }
 *
 * GET /api/metrics/queues → { ...envelope, queues: QueueFigures[] } (most offered first)
 *   QueueFigures = { queue, label, offered, answered, abandoned, shortAbandoned, shortAbandonSeconds, leftByKey, maxWait, full, failed,
 *     serviceLevel: {seconds, target, answeredWithin, share, met}, speedOfAnswerSec: Distribution,
 *     waitSec: Distribution & {longest}, abandonWaitSec: Distribution }
 *   Waits are whole seconds. Service level is answered within the queue's target seconds over offered
 *   (every caller who joined, short abandons included).
 *
 * GET /api/metrics/queues/:queue/heatmap → { ...envelope, queue, label, serviceLevel: {seconds, target},
 *     cells: [{weekday (1 = Monday), hour, offered, answered, answeredWithin, serviceLevel}] }
 *   by the local weekday and hour the callers joined the queue; only slots with callers.
 *
 * GET /api/metrics/nodes → { ...envelope, nodes: NodeRow[] } (most entered first)
 *   NodeRow = { flowId, nodeId, type, label, entries, calls, repeats (re-entries in the same call),
 *     exits: {byKey: {"1": n, "4711": n}, byNext: {"skola": n}}, invalid: {total, byKey: {"7": n, other: n}},
 *     timeouts, hangups, keyPresses, timeInNodeMs: Distribution,
 *     transfers: {attempted, answered, noAnswer, busy, failed, canceled} | null }
 *
 * GET /api/metrics/skr?year → { ...envelope, skr: SkrView }
 *   SkrView = { reference: {year, bemotande, enkelhet}, references: [...], minAnswers: 100, timeZone,
 *     overall: SkrRow, byCategory: SkrRow[], byHourOfDay: SkrRow[24], byWeekday: SkrRow[7] (Monday first) }
 *   SkrRow = { key, label, calls, bemotande: SkrIndex, enkelhet: SkrIndex }
 *   SkrIndex = IndexValue & { vsReference (index − reference), comparable (answers ≥ minAnswers) }
 *
 * GET /api/metrics/compare?flow&a&b[&from&to] → CompareView
 *   a, b: a flow version ("3f2a9c1b7d4e": its calls in from–to, default the last 365 days) or a
 *   period "2026-01-01/2026-02-01" (every version; "from..to" also accepted).
 *   CompareView = { flowId, a: Side, b: Side, summary: {a: Summary, b: Summary},
 *     fallbacks: [{nodeId, reason, a: FallbackRow|null, b: FallbackRow|null}] (paired by node+reason),
 *     rescues: [{nodeId, reason, rescue, a: FallbackRow|null, b: FallbackRow|null}] (by=rescue rows, paired
 *       by node+reason+rescue: did a backup reach a human sooner than the operator),
 *     nodes: [{nodeId, a: NodeRow|null, b: NodeRow|null}],
 *     changes: [{metric ("fallback.lostMs.median"…), better: "lower"|"higher", a, b, delta, relative,
 *                direction: "improved"|"worsened"|"unchanged"|null, significant: boolean|null}],
 *     queues: [{queue, a: QueueFigures|null, b: QueueFigures|null, changes: [as above, for
 *               serviceLevel.share, abandoned.share, speedOfAnswerSec.mean, waitSec.p90, offered]}] }
 *   Side = {label, kind: "version"|"period", flowVersion, from, to}
 *
 * GET /api/metrics/notices → { ...envelope, notices: NoticesView }
 *   NoticesView = { calls (that met a notice), ringsAvoided, savedMs, rows: NoticeRow[] (most time saved first),
 *     survey: {metNotice: SurveyIndices, rangOut: SurveyIndices}, fallbacks: FallbackRow[] (by node,
 *     reasons "notice" and "no-answer", at the nodes where notices were met) }
 *   NoticeRow = { flowId, nodeId, target, reason, ringsAvoided, calls, ringEstimateMs, estimateFrom:
 *     "ring-outs" (the median of that person's unanswered rings in the range) | "ring-seconds" (the
 *     node's ringSeconds or timeoutSeconds, when the range has none) | null, savedMs }
 *
 * GET /api/metrics/repeat-callers → { ...envelope, repeatCallers: RepeatCallersView }
 *   The first-contact-resolution proxy: callers (by pseudonym, never shown) who call again within 7
 *   days seeking the same person or department. RepeatCallersView = { windowDays: 7, calls, repeats: Share,
 *   answered: Answered, rows: RepeatCallerRow[] (most calls first) }
 *   RepeatCallerRow = { targetKind: "person"|"department", target (extension or target id), calls (that
 *     sought it), repeats: Share (of those calls, ones whose caller had sought it in a call started within
 *     the 7 days before), answered: Answered (the survey's "did you get an answer" for those calls),
 *     byFirstFallback: [{firstFallback: {reason, route}|null, calls (that took it first), repeats (whose
 *     earlier call took it first), repeatShare}] }
 *   Answered = {yes, answers, share}. A repeat counts in the hour its own call started.
 *
 * GET /api/calls.csv?from&to&flow&limit → journeys, one row per call, newest first, pseudonymised
 *   (no phone numbers; the caller's pseudonym column only for admins).
 *
 * CSV forms: summary as metric,value rows; fallbacks, nodes and compare changes as tables with
 * dotted column names; skr as one table with a "section" column.
 */
import express, { type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Clock } from '../clock';
import { ApiError, ErrorCodes } from '../errors';
import type { FlowRegistry } from '../flow/registry';
import { compareViews, type CompareInput } from '../metrics/compare';
import { CATEGORY_PREFIX, DIM_CALL, DIM_RANG_OUT, DIM_WITH_FALLBACK, DIM_WITH_NOTICE, FALLBACK_AT_PREFIX, FALLBACK_PREFIX, FALLBACK_RESCUE_PREFIX, LOCAL_HOUR_PREFIX, NODE_PREFIX, NOTICE_PREFIX, REPEAT_PREFIX, RING_OUT_PREFIX, SOUGHT_PREFIX, WEEKDAY_PREFIX } from '../metrics/dims';
import { noticesFromRollups } from '../metrics/notices';
import { repeatCallersFromRollups } from '../metrics/repeat-callers';
import { fallbacksFromRollups } from '../metrics/fallbacks';
import { mergeBy } from '../metrics/measures';
import { noHelpFromCounters } from '../metrics/no-help';
import { nodesFromRollups, type NodeInfoOf } from '../metrics/nodes';
import { nodeLabel } from '../flow/node-label';
import { readRollups } from '../metrics/read';
import { pickReference, skrFromRollups } from '../metrics/skr';
import { summaryFromRollups } from '../metrics/summary';
import { QUEUE_PREFIX, QUEUE_SLOT_PREFIX } from '../metrics/queue-contribution';
import { queueFiguresFromRollups, queueHeatmap, type QueueTarget } from '../metrics/queues';
import type { SkrReference } from '../metrics/view-types';
import type { Store } from '../store/store';
import { AuditActions } from '../identity/audit-actions';
import { hasRole } from '../identity/principal';
import type { RecordAccess } from './audit-access';
import { principalOf } from './guard';
import { startCsv, sendCsv } from './csv';
import { compareCsv, fallbacksCsv, journeyCsvHeader, journeyCsvLine, nodesCsv, queuesCsv, skrCsv, summaryCsv } from './metrics-csv';
import { CallsCsvQuery, CompareQuery, FallbacksQuery, NodesQuery, QueuesQuery, SkrQuery, SummaryQuery, hourRange, type CompareSpec } from './metrics-params';
import { parseQuery } from './query';

export interface MetricsDeps {
  store: Store;
  registry: FlowRegistry;
  clock: Clock;
  timeZone: string;
  skrReferences: SkrReference[];
  recordAccess: RecordAccess;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Days a range without `from` spans, up to `to` or the current hour. */
const DEFAULT_DAYS = 30;
const wantsCsv = (req: Request, q: { format?: string }) => req.path.endsWith('.csv') || q.format === 'csv';
const both = (path: string) => [path, `${path}.csv`];

type RangeParams = { from?: string; to?: string; flow?: string; version?: string[]; format: string };

export function metricsRoutes(deps: MetricsDeps): express.Router {
  const r = express.Router();

  // The current version's wording first; a node since removed keeps the words of the version that had it.
  const infoOf: NodeInfoOf = (flowId, nodeId) => {
    for (const f of [deps.registry.get(flowId), ...deps.registry.allVersions()]) {
      if (f && f.id === flowId && f.nodes[nodeId]) return { type: f.nodes[nodeId].type, label: nodeLabel(f, nodeId) };
    }
    return { type: null, label: null };
  };

  /** Parses the range, reads the rollups of the wanted dimensions, and returns them with the envelope. */
  async function load<Q extends RangeParams>(req: Request, schema: z.ZodType<Q>, dimsOf: (q: Q) => string[]) {
    const q = parseQuery(schema, req);
    const { from, to } = hourRange(q, deps.clock.now(), DEFAULT_DAYS);
    const { docs, pieces } = await readRollups(deps.store, { from, to, flowId: q.flow, flowVersions: q.version, dims: dimsOf(q) });
    // A range left out is said so: the 30 days up to the current hour.
    const range = { from: iso(from), to: iso(to), ...(q.from ? {} : { defaultDays: DEFAULT_DAYS }) };
    const envelope = { range, flowId: q.flow ?? null, flowVersions: q.version ?? null, read: { pieces: pieces.length, rollups: docs.length } };
    const name = (view: string) => `callpath-${view}-${envelope.range.from.slice(0, 13)}-${envelope.range.to.slice(0, 13)}.csv`;
    return { q, docs, envelope, csv: wantsCsv(req, q), name };
  }

  r.get(both('/metrics/summary'), async (req, res) => {
    const { docs, envelope, csv, name } = await load(req, SummaryQuery, () => [DIM_CALL, DIM_WITH_FALLBACK]);
    const summary = summaryFromRollups(docs);
    if (csv) return sendCsv(res, name('summary'), summaryCsv(summary));
    res.json({ ...envelope, summary });
  });

  r.get(both('/metrics/fallbacks'), async (req, res) => {
    const { q, docs, envelope, csv, name } = await load(req, FallbacksQuery, (p) => [
      DIM_CALL,
      p.by === 'route' ? FALLBACK_PREFIX : p.by === 'rescue' ? FALLBACK_RESCUE_PREFIX : FALLBACK_AT_PREFIX,
    ]);
    const by = q.by;
    const fallbacks = fallbacksFromRollups(docs, by);
    if (csv) return sendCsv(res, name('fallbacks'), fallbacksCsv(fallbacks));
    const noHelp = noHelpFromCounters(mergeBy(docs).get(DIM_CALL) ?? {});
    res.json({ ...envelope, by, noHelp, fallbacks });
  });

  // How long the node lets a phone ring: the estimate of a ring a notice avoided when the range has no ring-out of that person.
  const ringSecondsOf = (flowId: string, nodeId: string): number | null => {
    for (const f of [deps.registry.get(flowId), ...deps.registry.allVersions()]) {
      const n = f && f.id === flowId ? f.nodes[nodeId] : undefined;
      if (n?.type === 'directory') return n.ringSeconds;
      if (n?.type === 'transfer') return n.timeoutSeconds;
    }
    return null;
  };

  r.get('/metrics/notices', async (req, res) => {
    const { docs, envelope } = await load(req, SummaryQuery, () => [DIM_CALL, FALLBACK_AT_PREFIX, NOTICE_PREFIX, RING_OUT_PREFIX, DIM_WITH_NOTICE, DIM_RANG_OUT]);
    res.json({ ...envelope, notices: noticesFromRollups(docs, ringSecondsOf) });
  });

  r.get('/metrics/repeat-callers', async (req, res) => {
    const { docs, envelope } = await load(req, SummaryQuery, () => [SOUGHT_PREFIX, REPEAT_PREFIX]);
    res.json({ ...envelope, repeatCallers: repeatCallersFromRollups(docs) });
  });

  r.get(both('/metrics/nodes'), async (req, res) => {
    const { docs, envelope, csv, name } = await load(req, NodesQuery, () => [NODE_PREFIX]);
    const nodes = nodesFromRollups(docs, infoOf);
    if (csv) return sendCsv(res, name('nodes'), nodesCsv(nodes));
    res.json({ ...envelope, nodes });
  });

  // The queue's settings in the flow now in service; one no flow has any more is measured against the defaults.
  const targetOf = (queue: string): QueueTarget => {
    for (const f of [...deps.registry.list(), ...deps.registry.allVersions()]) {
      const q = f.queues[queue];
      if (q) return { label: q.label, seconds: q.serviceLevel.seconds, share: q.serviceLevel.share, shortAbandonSeconds: q.shortAbandonSeconds };
    }
    return { label: queue, seconds: 60, share: 0.8, shortAbandonSeconds: 5 };
  };

  r.get(both('/metrics/queues'), async (req, res) => {
    const { docs, envelope, csv, name } = await load(req, QueuesQuery, () => [QUEUE_PREFIX]);
    const queues = queueFiguresFromRollups(docs, targetOf);
    if (csv) return sendCsv(res, name('queues'), queuesCsv(queues));
    res.json({ ...envelope, queues });
  });

  r.get('/metrics/queues/:queue/heatmap', async (req, res) => {
    const queue = String(req.params.queue);
    const { docs, envelope } = await load(req, QueuesQuery, () => [`${QUEUE_SLOT_PREFIX}${queue}|`]);
    const known = deps.registry.allVersions().some((f) => f.queues[queue]);
    if (!known && !docs.length) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, `no queue "${queue}" in any flow, and no calls in it in this range`);
    const target = targetOf(queue);
    res.json({ ...envelope, queue, label: target.label, serviceLevel: { seconds: target.seconds, target: target.share }, cells: queueHeatmap(docs, queue, target) });
  });

  r.get(both('/metrics/skr'), async (req, res) => {
    const { q, docs, envelope, csv, name } = await load(req, SkrQuery, () => [DIM_CALL, CATEGORY_PREFIX, LOCAL_HOUR_PREFIX, WEEKDAY_PREFIX]);
    const year = q.year;
    if (year !== undefined && !pickReference(deps.skrReferences, year)) {
      const known = deps.skrReferences.map((x) => x.year).join(', ');
      throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, `Invalid query parameter "year": no national reference for ${year} (configured: ${known}; set SKR_REFERENCE)`, {
        parameters: [{ name: 'year', message: `no national reference for ${year}` }],
      });
    }
    const skr = skrFromRollups(docs, { references: deps.skrReferences, year, timeZone: deps.timeZone });
    if (csv) return sendCsv(res, name('skr'), skrCsv(skr));
    res.json({ ...envelope, skr });
  });

  r.get(both('/metrics/compare'), async (req, res) => {
    const q = parseQuery(CompareQuery, req);
    const now = deps.clock.now();
    const side = async (spec: CompareSpec): Promise<CompareInput> => {
      const range = spec.kind === 'period' ? hourRange(spec, now) : hourRange(q, now, 365);
      const flowVersions = spec.kind === 'version' ? [spec.version] : undefined;
      const { docs } = await readRollups(deps.store, { ...range, flowId: q.flow, flowVersions, dims: [DIM_CALL, DIM_WITH_FALLBACK, FALLBACK_AT_PREFIX, FALLBACK_RESCUE_PREFIX, NODE_PREFIX, QUEUE_PREFIX] });
      return {
        side: {
          label: spec.kind === 'version' ? spec.version : `${iso(range.from)}/${iso(range.to)}`,
          kind: spec.kind,
          flowVersion: spec.kind === 'version' ? spec.version : null,
          from: iso(range.from),
          to: iso(range.to),
        },
        summary: summaryFromRollups(docs),
        fallbacks: fallbacksFromRollups(docs, 'node'),
        rescues: fallbacksFromRollups(docs, 'rescue'),
        nodes: nodesFromRollups(docs, infoOf),
        queues: queueFiguresFromRollups(docs, targetOf),
      };
    };
    const [a, b] = await Promise.all([side(q.a), side(q.b)]);
    const view = compareViews(q.flow, a, b);
    if (wantsCsv(req, q)) return sendCsv(res, `callpath-compare-${q.flow}.csv`, compareCsv(view));
    res.json(view);
  });

  r.get('/calls.csv', async (req: Request, res: Response) => {
    const q = parseQuery(CallsCsvQuery, req);
    // The callers' pseudonyms link a caller's calls: only for admins, and on the audit trail.
    const withCaller = hasRole(principalOf(res), 'admin');
    if (withCaller) await deps.recordAccess(req, res, AuditActions.CALLS_EXPORTED, null, { from: q.from ?? '', to: q.to ?? '' });
    const page = 1000;
    let before: { startedAt: string; callSid: string } | undefined;
    let written = 0;
    const next = () => deps.store.listJourneys({ from: q.from, to: q.to, flowId: q.flow, limit: Math.min(page, q.limit - written), before });
    // The first page is read before anything is sent, so a store that is down still gets a JSON error.
    let batch = await next();
    startCsv(res, `callpath-calls${q.from ? `-${q.from.slice(0, 10)}` : ''}${q.to ? `-${q.to.slice(0, 10)}` : ''}.csv`);
    res.write(journeyCsvHeader(withCaller));
    try {
      // Pages are written as they are read, so a large export never sits in memory whole.
      while (batch.length) {
        if (!res.write(batch.map((j) => journeyCsvLine(j, withCaller)).join(''))) await new Promise((resolve) => res.once('drain', resolve));
        written += batch.length;
        const last = batch[batch.length - 1];
        before = { startedAt: last.startedAt ?? '', callSid: last.callSid };
        if (batch.length < page || written >= q.limit) break;
        batch = await next();
      }
      res.end();
    } catch (err) {
      // Headers are gone: cutting the connection is the only way to tell the client the file is incomplete.
      res.destroy(err as Error);
    }
  });

  return r;
}
