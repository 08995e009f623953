import { routeNext, type Flow, type Route, type TargetKind } from './schema';

/** Whom a backup node rings: a directory extension or a target, as a dial wants it. */
export interface BackupTarget {
  /** The extension or target id. */
  id: string;
  kind: TargetKind;
  number: string;
  category?: string;
  /** A person's name or a target's label. */
  name: string;
}

/** An extension of the directory or a target id, as a dial target; null when it names neither. */
export function dialTargetById(flow: Flow, id: string): BackupTarget | null {
  const person = flow.directory[id];
  if (person) return { id, kind: 'person', number: person.number, name: person.name, ...(person.category ? { category: person.category } : {}) };
  const t = flow.targets[id];
  if (t) return { id, kind: t.kind, number: t.number, name: t.label, ...(t.category ? { category: t.category } : {}) };
  return null;
}

/**
 * The backup of the person sought (a directory extension): their colleague or their department's
 * group. null when the sought is no person of the directory, has no backup, or the backup names
 * nothing the flow knows or the person themself (the linter reports both).
 */
export function backupOf(flow: Flow, sought: string | undefined): BackupTarget | null {
  if (sought === undefined) return null;
  const person = flow.directory[sought];
  if (!person?.backup || person.backup === sought) return null;
  return dialTargetById(flow, person.backup);
}

/**
 * The route a caller takes once the backup node in it is decided: a route to a backup node, for a
 * person who has no backup, becomes the node's noBackup route (the operator's node when it has none),
 * so a fallback records where the caller really went. At most a few hops: backup nodes whose
 * noBackup leads to another backup node are followed, then given up on.
 */
export function routeThroughBackups(flow: Flow, route: Route, sought: string | undefined): Route {
  let r = route;
  for (let hops = 0; hops < 4; hops++) {
    const node = flow.nodes[routeNext(r)];
    if (node?.type !== 'backup' || backupOf(flow, sought)) return r;
    const instead = node.noBackup ?? (flow.operator ? flow.operator.node : undefined);
    if (instead === undefined) return r;
    // Keep the original route's words: they were written for the caller leaving the person's node.
    const say = typeof r === 'string' ? undefined : r.say;
    r = say && typeof instead === 'string' ? { next: instead, say } : instead;
  }
  return r;
}

/**
 * Where the backup works, for the sentences: its category, else the sought person's, else a group's
 * label. The sentences are said of a person of the directory whose backup backupOf found.
 */
function where(flow: Flow, sought: string, b: BackupTarget): { category: string | null; label: string | null } {
  const category = b.category ?? flow.directory[sought].category ?? null;
  return { category, label: b.kind === 'person' ? null : b.name };
}

const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase('sv-SE') + s.slice(1);

/**
 * The menu's offer of the backup, in the call's language: "För att nå en kollega inom bygglov, tryck 1."
 * / "To reach one of Anna Lind's colleagues, press 1." (categories are Swedish words, so English names
 * the person sought instead).
 */
export function backupOffer(flow: Flow, sought: string, b: BackupTarget, key: string, language: string): string {
  const name = flow.directory[sought].name;
  if (language.slice(0, 2) === 'en') return `To reach one of ${name}'s colleagues, press ${key}.`;
  const w = where(flow, sought, b);
  if (w.category) return `För att nå en kollega inom ${w.category}, tryck ${key}.`;
  if (w.label) return `För att nå ${lowerFirst(w.label)}, tryck ${key}.`;
  return `För att nå en kollega till ${name}, tryck ${key}.`;
}

/** Said as the backup is rung: "Du kopplas till en kollega inom bygglov." / "Connecting you to one of Anna Lind's colleagues." */
export function backupConnecting(flow: Flow, sought: string, b: BackupTarget, language: string): string {
  const name = flow.directory[sought].name;
  if (language.slice(0, 2) === 'en') return `Connecting you to one of ${name}'s colleagues.`;
  const w = where(flow, sought, b);
  if (w.category) return `Du kopplas till en kollega inom ${w.category}.`;
  if (w.label) return `Du kopplas till ${lowerFirst(w.label)}.`;
  return `Du kopplas till en kollega till ${name}.`;
}
