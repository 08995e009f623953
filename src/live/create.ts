import type { Clock } from '../clock';
import type { Config } from '../config';
import { nodeLabel } from '../flow/node-label';
import type { FlowRegistry } from '../flow/registry';
import type { Flow } from '../flow/schema';
import type { CallEvent } from '../journey/events';
import type { Journey } from '../journey/journey';
import type { Logger } from '../log';
import { journeyPages } from '../store/journey-pages';
import type { Store } from '../store/store';
import { listenerSetFeed, type LiveFeed } from './feed';
import { LiveHub, type LiveViewers } from './hub';
import { DEFAULT_RULES, dayIn, type LiveRules } from './live-state';

export interface LiveHubDeps {
  /** timeZone: the municipality's, so "today" on the dashboard starts at its midnight. */
  config: Pick<Config, 'timeZone'>;
  /** Who may watch: the guard's rule for GET /live (api/live-viewers.ts). */
  viewers: LiveViewers;
  store: Store;
  registry: FlowRegistry;
  clock: Clock;
  log: Logger;
  /** The service's per-webhook listeners (or another feed, e.g. a change stream). */
  events: Set<(events: CallEvent[]) => void> | LiveFeed;
  heartbeatMs?: number;
}

/** The version of the flow a call runs, else the flow's current version (the call's was unloaded). */
function flowOfCall(registry: FlowRegistry, flowId: string | null, flowVersion: string | null): Flow | null {
  return (flowId && flowVersion && registry.version(flowId, flowVersion)) || (flowId && registry.get(flowId)) || null;
}

/** Labels of transfer targets (departments, the operator), from the version of the flow the call runs. */
export function targetLabels(registry: FlowRegistry): NonNullable<LiveRules['labelOf']> {
  return (flowId, flowVersion, target) => flowOfCall(registry, flowId, flowVersion)?.targets[target]?.label ?? null;
}

/**
 * Node labels from the version of the flow the call runs, remembered per version and node: the
 * live view asks on every node a caller enters, and deriving a label reads the node's prompt.
 */
export function nodeLabels(registry: FlowRegistry): NonNullable<LiveRules['nodeLabelOf']> {
  const known = new Map<string, string | null>();
  return (flowId, flowVersion, nodeId) => {
    const key = `${flowId}\n${flowVersion}\n${nodeId}`;
    if (known.has(key)) return known.get(key)!;
    const flow = flowOfCall(registry, flowId, flowVersion);
    const label = flow ? nodeLabel(flow, nodeId) : null;
    // Only what a loaded flow answered is kept: versions are immutable, so it cannot go stale.
    if (flow && flow.version === flowVersion) known.set(key, label);
    return label;
  };
}

/** The last day's journeys, newest first, page by page (the state keeps only today's). */
async function recentJourneys(store: Store, clock: Clock): Promise<Journey[]> {
  const from = new Date(clock.now() - 26 * 3_600_000).toISOString();
  const out: Journey[] = [];
  let pages = 0;
  for await (const batch of journeyPages(store, { from }, 1000)) {
    out.push(...batch);
    if (++pages === 50) break;
  }
  return out;
}

/** Queue labels and targets, operators' and people's names, from the version of the flow the call runs. */
export function queueNames(registry: FlowRegistry): Pick<LiveRules, 'queueOf' | 'operatorNameOf' | 'personNameOf'> {
  return {
    queueOf: (flowId, flowVersion, queue) => {
      const q = flowOfCall(registry, flowId, flowVersion)?.queues[queue];
      return q ? { label: q.label, seconds: q.serviceLevel.seconds, share: q.serviceLevel.share } : null;
    },
    operatorNameOf: (flowId, flowVersion, queue, operator) => flowOfCall(registry, flowId, flowVersion)?.queues[queue]?.operators[operator]?.name ?? null,
    personNameOf: (flowId, flowVersion, extension) => flowOfCall(registry, flowId, flowVersion)?.directory[extension]?.name ?? null,
  };
}

export function createLiveHub(deps: LiveHubDeps): LiveHub {
  return new LiveHub({
    feed: deps.events instanceof Set ? listenerSetFeed(deps.events) : deps.events,
    viewers: deps.viewers,
    clock: deps.clock,
    log: deps.log,
    rules: { ...DEFAULT_RULES, dayOf: dayIn(deps.config.timeZone), labelOf: targetLabels(deps.registry), nodeLabelOf: nodeLabels(deps.registry), ...queueNames(deps.registry) },
    seed: () => recentJourneys(deps.store, deps.clock),
    heartbeatMs: deps.heartbeatMs,
  });
}
