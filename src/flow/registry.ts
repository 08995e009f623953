import { CallpathError, ErrorCodes } from '../errors';
import type { Flow } from './schema';

/** A phone number as Twilio's parameters and the flow files may both write it: digits and + only. */
export const phoneKey = (n: string): string => n.replace(/[^\d+]/g, '');

/**
 * The flows in service. Every version ever loaded stays reachable, so a call in progress finishes
 * on the version it started with even after the files are reloaded.
 */
export class FlowRegistry {
  private current = new Map<string, Flow>();
  private versions = new Map<string, Flow>();
  private byNumber = new Map<string, Flow>();
  private fallback: Flow | null = null;

  constructor(flows: Flow[], private readonly defaultId?: string) {
    this.replace(flows);
  }

  /** Puts a new set of flows in service; returns the ids whose version changed. A set it refuses leaves the old one in service. */
  replace(flows: Flow[]): string[] {
    if (!flows.length) throw new CallpathError(ErrorCodes.FLOW_NOT_FOUND, 'no flows to serve');
    const wanted = this.defaultId ? flows.find((f) => f.id === this.defaultId) : undefined;
    if (this.defaultId && !wanted) throw new CallpathError(ErrorCodes.FLOW_NOT_FOUND, `DEFAULT_FLOW "${this.defaultId}" is not among the loaded flows`);
    const changed = flows.filter((f) => this.current.get(f.id)?.version !== f.version).map((f) => f.id);
    this.current = new Map(flows.map((f) => [f.id, f]));
    for (const f of flows) this.versions.set(`${f.id}@${f.version}`, f);
    this.byNumber = new Map(flows.flatMap((f) => f.numbers.map((n) => [n, f] as const)));
    this.fallback = wanted ?? flows.find((f) => f.default) ?? flows[0];
    return changed;
  }

  /**
   * Versions served before this process started, as the store keeps them (oldest first): reachable
   * by version and listed, none put in service. The list stays in the order versions were first
   * served: these, then any loaded since that the store does not hold yet.
   */
  remember(archived: readonly Flow[]): void {
    const ordered = new Map<string, Flow>();
    for (const f of archived) {
      const key = `${f.id}@${f.version}`;
      ordered.set(key, this.versions.get(key) ?? f);
    }
    // A Map keeps a key where it was first set: those archived stay first, in their order.
    for (const [key, f] of this.versions) ordered.set(key, f);
    this.versions = ordered;
  }

  /** The flow for a called number, else the default flow. */
  forNumber(to: string | undefined): Flow {
    return (to && this.byNumber.get(phoneKey(to))) || this.fallback!;
  }

  version(id: string, version: string): Flow | null {
    return this.versions.get(`${id}@${version}`) ?? null;
  }

  get(id: string): Flow | null {
    return this.current.get(id) ?? null;
  }

  list(): Flow[] {
    return [...this.current.values()];
  }

  /** Every version known, in the order first served (see remember). */
  allVersions(): Flow[] {
    return [...this.versions.values()];
  }
}
