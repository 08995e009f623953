/**
 * Builders shared by the lint tests in this folder. A flow starts as `base()`, a small flow as its file
 * holds it (before the schema fills in defaults) with no finding at all; a test changes what it needs
 * and loads it through the loader as a flow file is loaded (schema and reference checks included), then
 * the graph and the analysis are built as lintFlow builds them, so each rule can be called on its own.
 */
import { analyse, type FlowAnalysis } from '../../../src/flow/lint/analysis';
import { buildGraph, type FlowGraph } from '../../../src/flow/lint/graph';
import type { LintResult } from '../../../src/flow/lint/result';
import { parseFlow } from '../../../src/flow/loader';
import type { Flow } from '../../../src/flow/schema';

/** The file every flow built here is said to come from (JSON, so parseFlow reads JSON.stringify's text). */
export const FILE = 'lint-case.json';

/** The flow as written, before the schema fills in defaults: each case edits it freely. */
export type Raw = any;

/** A menu (1: a department, 0: the operator), the department's transfer, the operator's, and a spoken goodbye. */
export const base = (): Raw => ({
  id: 'lint',
  name: 'Lint cases',
  operator: { key: '0', node: 'operator' },
  targets: {
    operator: { label: 'Växeln', number: '+46101300100', kind: 'operator' },
    skola: { label: 'Skola', number: '+46101300210', kind: 'department' },
  },
  start: 'main',
  nodes: {
    main: { type: 'menu', prompt: 'För skola, tryck 1. För växeln, tryck 0.', routes: { '1': 'skola' }, onExhausted: 'operator' },
    skola: { type: 'transfer', target: 'skola', onNoAnswer: 'operator' },
    operator: { type: 'transfer', target: 'operator', onNoAnswer: 'bye' },
    bye: { type: 'hangup', say: 'Hej då.' },
  },
});

/** base() changed by `change`, loaded as a flow file would be. */
export function flowOf(change: (f: Raw) => void = () => {}): Flow {
  const raw = base();
  change(raw);
  return parseFlow(JSON.stringify(raw), FILE);
}

export const graphOf = (change?: (f: Raw) => void): FlowGraph => buildGraph(flowOf(change));

export const analysisOf = (change?: (f: Raw) => void): FlowAnalysis => analyse(graphOf(change), FILE);

/** A finding as one row: severity, code, path, message (the file is FILE throughout; tests check it where it matters). */
export const row = (r: LintResult): string[] => [r.severity, r.code, r.path, r.message];
