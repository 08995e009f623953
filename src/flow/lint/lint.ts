import fs from 'node:fs';
import path from 'node:path';
import { FlowError } from '../../errors';
import { loadFlowDir, loadFlowFile, parseFlow } from '../loader';
import type { Flow } from '../schema';
import { analyse } from './analysis';
import { buildGraph } from './graph';
import { operatorReach, type OperatorReach } from './operator-reach';
import { byPosition, type LintResult } from './result';
import { backupRules } from './rules/backups';
import { fallbackRules } from './rules/fallbacks';
import { keyRules } from './rules/keys';
import { noticeRules } from './rules/notices';
import { operatorRules } from './rules/operator';
import { deadEnds, loopsWithoutExit, unreachableNodes } from './rules/structure';
import { surveyRules } from './rules/survey';
import { callbackRules } from './rules/callbacks';
import { missingTranslations } from './rules/translations';

export interface LintOptions {
  /** Fail when reaching the operator from some node takes more key presses than this. */
  maxOperatorKeys?: number;
}

export interface FlowLintReport {
  file: string;
  flowId: string | null;
  version: string | null;
  results: LintResult[];
  /** Key presses to the operator; null when the file did not load or the flow has no operator. */
  operator: OperatorReach | null;
  errors: number;
  warnings: number;
}

/** The graph rules for a flow the loader has accepted. Pure. */
export function lintFlow(flow: Flow, opts: LintOptions = {}, file: string = flow.source): FlowLintReport {
  const graph = buildGraph(flow);
  const a = analyse(graph, file);
  const loops = loopsWithoutExit(a);
  const results = [
    ...unreachableNodes(a),
    ...loops.results,
    ...deadEnds(a, loops.trapped),
    ...keyRules(a),
    ...fallbackRules(a),
    ...noticeRules(a),
    ...backupRules(a),
    ...missingTranslations(a),
    ...operatorRules(a, opts),
    ...surveyRules(a),
    ...callbackRules(a),
  ].sort(byPosition);
  return report(file, flow, results, graph.operatorNodes.size ? operatorReach(graph) : null);
}

/** Loads (schema and reference errors become findings) and lints one flow file's text. */
export function lintFlowText(text: string, file: string, opts: LintOptions = {}): FlowLintReport {
  let flow: Flow;
  try {
    flow = parseFlow(text, file);
  } catch (err) {
    if (err instanceof FlowError) return schemaReport(file, err);
    throw err;
  }
  return lintFlow(flow, opts, file);
}

export function lintFlowFile(file: string, opts: LintOptions = {}): FlowLintReport {
  let flow: Flow;
  try {
    flow = loadFlowFile(file);
  } catch (err) {
    if (err instanceof FlowError) return schemaReport(file, err);
    throw err;
  }
  return lintFlow(flow, opts, file);
}

/**
 * Every flow file of a folder, then what only the folder shows (two flows with one id, a number
 * claimed twice, two defaults): the checks the service makes at start-up.
 */
export function lintFlowDir(dir: string, opts: LintOptions = {}): FlowLintReport[] {
  const names = fs.readdirSync(dir).filter((n) => FLOW_EXTENSIONS.has(path.extname(n))).sort();
  const reports = names.map((n) => lintFlowFile(path.join(dir, n), opts));
  if (reports.some((r) => r.flowId === null)) return reports;
  try {
    loadFlowDir(dir);
  } catch (err) {
    if (!(err instanceof FlowError)) throw err;
    reports.push(schemaReport(dir, err));
  }
  return reports;
}

const FLOW_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function schemaReport(file: string, err: FlowError): FlowLintReport {
  const results: LintResult[] = err.issues.map((i) => ({ severity: 'error', code: 'schema', file: i.file, path: i.path, message: i.message }));
  return report(file, null, results, null);
}

function report(file: string, flow: Flow | null, results: LintResult[], operator: OperatorReach | null): FlowLintReport {
  return {
    file,
    flowId: flow?.id ?? null,
    version: flow?.version ?? null,
    results,
    operator,
    errors: results.filter((r) => r.severity === 'error').length,
    warnings: results.filter((r) => r.severity === 'warning').length,
  };
}
