import type { LintResult } from '../result';
import { inFileOrder, type FlowAnalysis } from '../analysis';

/**
 * Backups (a person's colleague or department group, rung by a `backup` node): one that names nothing
 * the flow knows rings nobody; one that is the person rings the phone that just went unanswered; a
 * chain that comes round again would, from backup node to backup node, ring someone twice. A flow that
 * offers a backup to people who have none sends their callers to the operator without saying so:
 * a `noBackup` route says where they go, and silences the warning.
 */
export function backupRules(a: FlowAnalysis): LintResult[] {
  const flow = a.graph.flow;
  const results: LintResult[] = [];
  const add = (severity: LintResult['severity'], code: LintResult['code'], path: string, message: string) =>
    results.push({ severity, code, file: a.file, path, message });

  for (const [ext, p] of Object.entries(flow.directory)) {
    if (p.backup === undefined) continue;
    if (p.backup === ext) add('error', 'backup-self', `directory.${ext}.backup`, `${p.name}'s backup is ${p.name}: a caller nobody answered would ring the same phone again`);
    else if (!flow.directory[p.backup] && !flow.targets[p.backup]) {
      add('error', 'backup-unknown', `directory.${ext}.backup`, `${p.name}'s backup "${p.backup}" is neither an extension of the directory nor a target: nobody would be rung`);
    }
  }

  // Each person has at most one backup, so following them from anyone either ends or comes round; report each circle once.
  const reported = new Set<string>();
  for (const start of Object.keys(flow.directory)) {
    const chain: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && flow.directory[at] && !chain.includes(at)) {
      chain.push(at);
      const next: string | undefined = flow.directory[at].backup;
      at = next === at ? undefined : next;
    }
    if (at === undefined || !chain.includes(at)) continue;
    const circle = chain.slice(chain.indexOf(at));
    const key = [...circle].sort().join(',');
    if (reported.has(key) || circle.length < 2) continue;
    reported.add(key);
    const first = [...circle].sort()[0];
    const from = circle.indexOf(first);
    const ordered = [...circle.slice(from), ...circle.slice(0, from), first];
    add('warning', 'backup-cycle', `directory.${first}.backup`, `backups go round in a circle: ${ordered.join(' → ')}; a caller passed on from backup to backup would ring ${flow.directory[first].name} again`);
  }

  const offering = inFileOrder(a.graph, a.reachable).filter((id) => flow.nodes[id].type === 'backup');
  const without = Object.entries(flow.directory).filter(([, p]) => p.backup === undefined).map(([ext]) => ext);
  for (const id of offering) {
    const node = flow.nodes[id];
    if (node.type !== 'backup' || node.noBackup) continue;
    if (without.length === Object.keys(flow.directory).length) {
      add('warning', 'backup-missing', `nodes.${id}`, `"${id}" rings the backup of the person sought, but nobody in the directory has a backup: give people a backup, or remove the node`);
    } else if (without.length) {
      add('warning', 'backup-missing', `nodes.${id}`, `"${id}" rings the backup of the person sought, but ${without.join(', ')} ${without.length === 1 ? 'has' : 'have'} none: ${without.length === 1 ? 'that person\'s callers' : 'their callers'} ${flow.operator ? 'go to the operator' : 'are told goodbye'}; set noBackup to say where they go`);
    }
  }
  return results;
}
