import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import { FlowError, type FlowIssue } from '../errors';
import { checkReferences } from './references';
import { FlowFile, type Flow } from './schema';

const FLOW_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The version of a flow is a hash of its meaning, so reformatting a file does not make a new version. */
export function flowVersion(flow: FlowFile): string {
  return createHash('sha256').update(canonicalJson(flow)).digest('hex').slice(0, 12);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * zod says only "Invalid input" where a value may take two shapes (a route: a node id, or an object
 * with next and say) and fits neither; an admin needs the reason. When one shape got further into
 * the value than the others (the object was read and a key of it is wrong), its issues are the
 * reason, at their own paths. When none did (a number where text or an object was expected), the
 * issue stays as it is.
 */
function issuesWithin(i: z.core.$ZodIssue, prefix: PropertyKey[]): { path: PropertyKey[]; message: string }[] {
  const path = [...prefix, ...i.path];
  if (i.code === 'invalid_union' && i.errors.length) {
    const depth = (branch: z.core.$ZodIssue[]) => Math.max(0, ...branch.map((b) => b.path.length + (b.code === 'invalid_union' || b.code === 'invalid_key' ? 1 : 0)));
    const best = i.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    if (depth(best) > 0) return best.flatMap((b) => issuesWithin(b, path));
  }
  return [{ path, message: issueMessage(i) }];
}

/** zod says only "Invalid key in record" for a bad key (a menu key "12"); the reason is in the nested issue. */
function issueMessage(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_key' && i.issues.length) return `invalid key: ${i.issues[0].message}`;
  return i.message;
}

/** Parses and validates one flow from its text. Throws FlowError naming file, path and reason. */
export function parseFlow(text: string, file: string): Flow {
  let raw: unknown;
  try {
    if (file.endsWith('.json')) raw = JSON.parse(text);
    else {
      const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
      // The first error only: after a syntax error the parser's later ones are its own confusion
      // (an unclosed quote gave 18), and its message names the line and column.
      if (doc.errors.length) throw new FlowError([{ file, path: '', message: `YAML: ${doc.errors[0].message.split('\n')[0]}` }]);
      raw = doc.toJS();
    }
  } catch (err) {
    if (err instanceof FlowError) throw err;
    throw new FlowError([{ file, path: '', message: `cannot parse: ${(err as Error).message}` }]);
  }
  const parsed = FlowFile.safeParse(raw);
  if (!parsed.success) {
    throw new FlowError(
      parsed.error.issues.flatMap((i) => issuesWithin(i, [])).map(({ path, message }) => ({ file, path: path.map(String).join('.'), message })),
    );
  }
  const issues = checkReferences(parsed.data, file);
  if (issues.length) throw new FlowError(issues);
  return { ...parsed.data, version: flowVersion(parsed.data), source: file };
}

export function loadFlowFile(file: string): Flow {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new FlowError([{ file, path: '', message: `cannot read: ${(err as Error).message}` }]);
  }
  return parseFlow(text, file);
}

/** Loads every flow file in a folder; all problems in all files are reported together. */
export function loadFlowDir(dir: string): Flow[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => FLOW_EXTENSIONS.has(path.extname(n))).sort();
  } catch (err) {
    throw new FlowError([{ file: dir, path: '', message: `cannot read flow folder: ${(err as Error).message}` }]);
  }
  if (!names.length) throw new FlowError([{ file: dir, path: '', message: 'no flow files (*.yaml, *.yml, *.json)' }]);
  const flows: Flow[] = [];
  const issues: FlowIssue[] = [];
  for (const name of names) {
    try {
      flows.push(loadFlowFile(path.join(dir, name)));
    } catch (err) {
      if (err instanceof FlowError) issues.push(...err.issues);
      else throw err;
    }
  }
  const seen = new Map<string, string>();
  for (const f of flows) {
    const other = seen.get(f.id);
    if (other) issues.push({ file: f.source, path: 'id', message: `flow id "${f.id}" is also used by ${other}` });
    seen.set(f.id, f.source);
  }
  const numberOwner = new Map<string, string>();
  for (const f of flows) {
    f.numbers.forEach((n, i) => {
      const owner = numberOwner.get(n);
      if (owner) issues.push({ file: f.source, path: `numbers.${i}`, message: `number ${n} is also claimed by flow "${owner}"` });
      numberOwner.set(n, f.id);
    });
  }
  if (flows.filter((f) => f.default).length > 1) {
    issues.push({ file: dir, path: 'default', message: `more than one flow is marked default: ${flows.filter((f) => f.default).map((f) => f.id).join(', ')}` });
  }
  if (issues.length) throw new FlowError(issues);
  return flows;
}
