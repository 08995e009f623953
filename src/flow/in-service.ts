import type { Logger } from '../log';
import { lintFlow, type FlowLintReport } from './lint/lint';
import { loadFlowDir } from './loader';
import type { FlowRegistry } from './registry';
import type { Flow } from './schema';

/**
 * Putting flow files in service: at start-up and on reload (SIGHUP, POST /api/admin/flows/reload).
 * A reload loads the whole folder first and swaps only if every file is valid, so a bad edit keeps
 * the old flows answering; calls in progress go on with the version they started on (the registry
 * keeps every version, and the webhook URL names it). Each version served is archived for replays,
 * and the linter's findings are logged, so an admin sees a risky change in the log at once.
 */
export interface FlowReload {
  flows: Flow[];
  /** Ids whose version changed. */
  changed: string[];
  lint: FlowLintReport[];
  /** Resolves once the new versions are kept in the store (see replay/archive.ts); never rejects. */
  archived: Promise<void>;
}

export interface FlowsInServiceDeps {
  flowsDir: string;
  /** Keeps the versions for replays (in the store, once it is open); a failure is the caller's to log. */
  archive: (flows: Flow[]) => Promise<void>;
  registry: FlowRegistry;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  maxOperatorKeys?: number;
}

export function flowsInService(deps: FlowsInServiceDeps) {
  const { registry, log } = deps;

  const announce = (flows: Flow[]): { lint: FlowLintReport[]; archived: Promise<void> } => {
    const archived = deps.archive(flows).catch((err: Error) => log.warn({ err: err.message }, 'could not archive flow versions (replays will lack them)'));
    const lint = flows.map((flow) => {
      const report = lintFlow(flow, { maxOperatorKeys: deps.maxOperatorKeys });
      for (const r of report.results) {
        log.warn({ flow: `${flow.id}@${flow.version}`, file: r.file, path: r.path, code: r.code, severity: r.severity }, `flow lint: ${r.message}`);
      }
      log.info({ flow: `${flow.id}@${flow.version}`, errors: report.errors, warnings: report.warnings, operatorMaxKeys: report.operator?.max?.keys ?? null }, 'flow in service');
      return report;
    });
    return { lint, archived };
  };

  return {
    /** At start-up, for the flows the registry was built with. */
    started(): { lint: FlowLintReport[]; archived: Promise<void> } {
      return announce(registry.list());
    },
    /** Throws FlowError (file, path, reason) when a file is invalid; the old flows stay in service. */
    reload(): FlowReload {
      const flows = loadFlowDir(deps.flowsDir);
      const changed = registry.replace(flows);
      const { lint, archived } = announce(flows);
      log.info({ flows: flows.map((f) => `${f.id}@${f.version}`), changed }, 'flows reloaded');
      return { flows, changed, lint, archived };
    },
  };
}

export type FlowsInService = ReturnType<typeof flowsInService>;
