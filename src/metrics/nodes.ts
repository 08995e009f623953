import type { RollupDoc } from '../store/store';
import { C, H, NODE_PREFIX, family } from './dims';
import { distributionOf } from './histogram';
import { familyMembers, mergeBy, type Counters } from './measures';
import type { NodeRow } from './view-types';

/** A node's type and label from the flow definition; nulls when the flow or node is unknown. */
export type NodeInfoOf = (flowId: string, nodeId: string) => { type: string | null; label: string | null };

export const UNKNOWN_NODE: NodeInfoOf = () => ({ type: null, label: null });

export function nodeRow(flowId: string, nodeId: string, c: Counters, infoOf: NodeInfoOf = UNKNOWN_NODE): NodeRow {
  const transfer = familyMembers(c, C.transfer);
  const invalidByKey = familyMembers(c, C.invalid);
  return {
    flowId,
    nodeId,
    ...infoOf(flowId, nodeId),
    entries: c[C.entries] ?? 0,
    calls: c[C.calls] ?? 0,
    repeats: c[C.reentries] ?? 0,
    exits: { byKey: familyMembers(c, C.exitKey), byNext: familyMembers(c, C.exitNext) },
    invalid: { total: c[C.invalid] ?? 0, byKey: invalidByKey },
    timeouts: c[C.timeouts] ?? 0,
    hangups: c[C.hangups] ?? 0,
    keyPresses: c[C.pressed] ?? 0,
    timeInNodeMs: distributionOf(c, H.timeInNode),
    transfers: transfer.attempted
      ? {
          attempted: transfer.attempted ?? 0,
          answered: transfer.answered ?? 0,
          noAnswer: transfer['no-answer'] ?? 0,
          busy: transfer.busy ?? 0,
          failed: transfer.failed ?? 0,
          canceled: transfer.canceled ?? 0,
        }
      : null,
  };
}

export function sortNodeRows(rows: NodeRow[]): NodeRow[] {
  return rows.sort((a, b) => b.entries - a.entries || (a.flowId + a.nodeId < b.flowId + b.nodeId ? -1 : 1));
}

/** One row per flow and node, most entered first. */
export function nodesFromRollups(docs: readonly RollupDoc[], infoOf?: NodeInfoOf): NodeRow[] {
  const merged = mergeBy(docs, (d) => (d.dim.startsWith(NODE_PREFIX) ? `${d.flowId}\n${d.dim.slice(NODE_PREFIX.length)}` : null));
  const rows: NodeRow[] = [];
  for (const [k, c] of merged) {
    const [flowId, nodeId] = k.split('\n');
    if ((c[C.entries] ?? 0) > 0 || (c[family(C.transfer, 'attempted')] ?? 0) > 0) rows.push(nodeRow(flowId, nodeId, c, infoOf));
  }
  return sortNodeRows(rows);
}
