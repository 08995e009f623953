import fs from 'node:fs';
import path from 'node:path';
import { FlowError } from '../../errors';
import type { FlowVersionRecord, Store } from '../../store/store';
import { parseFlow } from '../loader';
import type { Flow } from '../schema';

/**
 * Every flow version the service has served is kept in the store (Store.archiveFlowVersions), so
 * that months later a replay can compare a candidate with the very version a call was made on, even
 * after the flow file has been edited many times, and from any instance sharing the store. Calls
 * record the version (call.started); this keeps what the version meant.
 */

/** Where versions were kept before the store held them: DATA_DIR/flow-versions, one JSON file each. */
export const LEGACY_ARCHIVE_FOLDER = 'flow-versions';

interface ArchivedFlow {
  id: string;
  version: string;
  source: string;
  flow: Omit<Flow, 'version' | 'source'>;
}

export function flowVersionRecord(f: Flow, archivedAt: string): FlowVersionRecord {
  const { version, source, ...flow } = f;
  return { flowId: f.id, version, source, flow, archivedAt };
}

/** Keeps the versions not kept yet; returns how many were new. */
export async function archiveFlows(store: Pick<Store, 'archiveFlowVersions'>, flows: readonly Flow[], now = new Date()): Promise<number> {
  return store.archiveFlowVersions(flows.map((f) => flowVersionRecord(f, now.toISOString())));
}

/**
 * The kept versions as flows. One that no longer loads (the flow format has moved on) is reported,
 * not fatal. The version is the one the calls recorded, even if today's defaults would hash it differently.
 */
export async function loadArchivedFlows(store: Pick<Store, 'listFlowVersions'>): Promise<{ flows: Flow[]; problems: string[] }> {
  const flows: Flow[] = [];
  const problems: string[] = [];
  for (const r of await store.listFlowVersions()) {
    const label = `archived flow version ${r.flowId}@${r.version} (from ${r.source})`;
    try {
      const flow = parseFlow(JSON.stringify(r.flow), label);
      flows.push({ ...flow, version: r.version, source: r.source });
    } catch (err) {
      problems.push(err instanceof FlowError ? err.message : `${label}: ${(err as Error).message}`);
    }
  }
  return { flows, problems };
}

/**
 * Moves DATA_DIR/flow-versions, written by earlier versions, into the store once, then renames the
 * folder with an `.imported` suffix. Returns how many versions were new to the store.
 */
export async function importLegacyArchive(dataDir: string, store: Pick<Store, 'archiveFlowVersions'>): Promise<number> {
  const dir = path.join(dataDir, LEGACY_ARCHIVE_FOLDER);
  if (!fs.existsSync(dir)) return 0;
  const records: FlowVersionRecord[] = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as ArchivedFlow;
    records.push({ flowId: doc.id, version: doc.version, source: doc.source, flow: doc.flow, archivedAt: fs.statSync(file).mtime.toISOString() });
  }
  const added = await store.archiveFlowVersions(records);
  let target = `${dir}.imported`;
  for (let n = 2; fs.existsSync(target); n++) target = `${dir}.imported-${n}`;
  fs.renameSync(dir, target);
  return added;
}
