import express from 'express';
import { z } from 'zod';
import { AuditActions } from '../identity/audit-actions';
import type { RecordAccess } from './audit-access';
import { parseQuery } from './query';
import { ApiError, CallpathError, ErrorCodes, FlowError } from '../errors';
import type { FlowReload } from '../flow/in-service';
import { lintFlow, type FlowLintReport } from '../flow/lint/lint';
import type { FlowRegistry } from '../flow/registry';
import { renderMermaid } from '../flow/render/mermaid';
import type { Flow } from '../flow/schema';

export interface FlowsRoutesDeps {
  registry: FlowRegistry;
  recordAccess: RecordAccess;
  reload: () => FlowReload;
  maxOperatorKeys?: number;
}

const VersionQuery = z.strictObject({ version: z.string().regex(/^[0-9a-f]{12}$/, 'must be a flow version (12 hex digits)').optional() });
const MermaidQuery = VersionQuery.extend({ language: z.string().regex(/^[a-z]{2}-[A-Z]{2}$/, 'must be a language tag like sv-SE').optional() });

/**
 * The flows in service for the dashboard and admins: the list with versions, a flow's lint report
 * and its Mermaid picture (any version still loaded), and reloading the flow files (admin).
 */
export function flowsRoutes(deps: FlowsRoutesDeps): express.Router {
  const r = express.Router();
  // A version never changes, so neither does its report.
  const reports = new Map<string, FlowLintReport>();
  const lint = (f: Flow) => {
    const key = `${f.id}@${f.version}`;
    if (!reports.has(key)) reports.set(key, lintFlow(f, { maxOperatorKeys: deps.maxOperatorKeys }));
    return reports.get(key)!;
  };
  const flowOf = (id: string, version: string | undefined): Flow => {
    const flow = version ? deps.registry.version(id, version) : deps.registry.get(id);
    if (!flow) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, version ? `No flow ${id} at version ${version}` : `No flow ${id}`);
    return flow;
  };

  r.get('/flows', (_req, res) => {
    const all = deps.registry.allVersions();
    res.json({
      flows: deps.registry.list().map((f) => {
        const report = lint(f);
        return {
          id: f.id,
          name: f.name,
          version: f.version,
          default: f.default,
          languages: Object.keys(f.languages.voices),
          nodes: Object.keys(f.nodes).length,
          lint: { errors: report.errors, warnings: report.warnings, operatorMaxKeys: report.operator?.max?.keys ?? null },
          versions: all.filter((v) => v.id === f.id).map((v) => v.version),
        };
      }),
    });
  });

  r.get('/flows/:id/lint', (req, res) => {
    const q = parseQuery(VersionQuery, req);
    res.json(lint(flowOf(req.params.id, q.version)));
  });

  r.get('/flows/:id/mermaid', (req, res) => {
    const q = parseQuery(MermaidQuery, req);
    const flow = flowOf(req.params.id, q.version);
    if (q.language && !flow.languages.voices[q.language]) {
      throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, `Invalid query parameter "language": flow ${flow.id} has no ${q.language}`);
    }
    res.type('text/plain; charset=utf-8').send(renderMermaid(flow, { language: q.language }));
  });

  r.post('/admin/flows/reload', async (req, res) => {
    let result: FlowReload;
    try {
      result = deps.reload();
    } catch (err) {
      if (err instanceof FlowError) {
        throw new ApiError(400, ErrorCodes.FLOW_INVALID, 'Flow files rejected; the flows in service are unchanged', { issues: err.issues });
      }
      if (err instanceof CallpathError && err.code === ErrorCodes.FLOW_NOT_FOUND) {
        throw new ApiError(400, ErrorCodes.FLOW_NOT_FOUND, `${err.message}; the flows in service are unchanged`);
      }
      throw err;
    }
    // Answered once the new versions are kept, so a replay asked for next finds them.
    await result.archived;
    await deps.recordAccess(req, res, AuditActions.FLOWS_RELOADED, result.changed.join(' ') || null, { changed: result.changed.length });
    res.json({
      flows: result.flows.map((f) => ({ id: f.id, version: f.version, source: f.source, changed: result.changed.includes(f.id) })),
      findings: result.lint.flatMap((l) => l.results),
    });
  });

  return r;
}
