import fs from 'node:fs';
import path from 'node:path';
import { FlowError } from '../../errors';
import { parseFlow } from '../loader';
import type { Flow } from '../schema';

/**
 * Every flow version the service has served, kept as JSON under DATA_DIR/flow-versions, so that
 * months later a replay can compare a candidate with the very version a call was made on, even
 * after the flow file has been edited many times. Calls record the version (call.started); this
 * keeps what the version meant.
 */
export const ARCHIVE_FOLDER = 'flow-versions';

interface ArchivedFlow {
  id: string;
  version: string;
  source: string;
  flow: Omit<Flow, 'version' | 'source'>;
}

/** Writes the versions not yet archived; returns how many were new. Never throws: the archive must not stop the service. */
export function archiveFlows(dataDir: string, flows: readonly Flow[]): { written: number; error?: string } {
  const dir = path.join(dataDir, ARCHIVE_FOLDER);
  let written = 0;
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of flows) {
      const file = path.join(dir, `${f.id}@${f.version}.json`);
      if (fs.existsSync(file)) continue;
      const { version, source, ...flow } = f;
      const doc: ArchivedFlow = { id: f.id, version, source, flow };
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n');
      fs.renameSync(tmp, file);
      written++;
    }
    return { written };
  } catch (err) {
    return { written, error: (err as Error).message };
  }
}

/**
 * The archived versions. A file that no longer loads (the flow format has moved on) is reported,
 * not fatal. The version is the one the calls recorded, even if today's defaults would hash it differently.
 */
export function loadArchivedFlows(dataDir: string): { flows: Flow[]; problems: string[] } {
  const dir = path.join(dataDir, ARCHIVE_FOLDER);
  if (!fs.existsSync(dir)) return { flows: [], problems: [] };
  const flows: Flow[] = [];
  const problems: string[] = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    try {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as ArchivedFlow;
      const flow = parseFlow(JSON.stringify(doc.flow), file);
      flows.push({ ...flow, version: doc.version, source: doc.source });
    } catch (err) {
      problems.push(err instanceof FlowError ? err.message : `${file}: ${(err as Error).message}`);
    }
  }
  return { flows, problems };
}
