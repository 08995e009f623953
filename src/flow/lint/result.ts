/** One finding of the flow linter: where it is (file and path inside the file), and why it matters. */
export interface LintResult {
  severity: 'error' | 'warning';
  /** Stable, so scripts and tests can match on it. */
  code: LintCode;
  file: string;
  /** Dotted path inside the flow file, '' for the file as a whole. */
  path: string;
  message: string;
}

export type LintCode =
  /** The loader rejected the file (YAML, schema or reference error). */
  | 'schema'
  | 'unreachable-node'
  | 'dead-end'
  | 'loop-without-exit'
  | 'digit-not-routed'
  | 'key-not-announced'
  | 'directory-empty'
  | 'missing-translation'
  | 'fallback-dead-end'
  | 'fallback-loop'
  | 'no-operator'
  | 'operator-unreachable'
  | 'operator-only-by-waiting'
  | 'operator-budget'
  /** A person with an absence notice is not rung, and the route their callers take only hangs up. */
  | 'notice-hangs-up'
  /** survey.comment is on, but the survey is never offered. */
  | 'comment-never-asked'
  /** A person's backup names no extension of the directory and no target. */
  | 'backup-unknown'
  /** A person's backup is the person themself. */
  | 'backup-self'
  /** Backups that lead round to where they began (Anna → Johan → Anna). */
  | 'backup-cycle'
  /** The flow offers a backup, and people it may be offered for have none (and no noBackup says where their callers go). */
  | 'backup-missing'
  /** A callback node is offered with no promise (callback.promise). */
  | 'callback-without-promise'
  /** callback is configured but no callback node is reachable. */
  | 'callback-never-offered';

export const byPosition = (a: LintResult, b: LintResult): number =>
  a.file.localeCompare(b.file) || a.path.localeCompare(b.path) || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
