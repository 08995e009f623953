import { backupConnecting, backupOf, backupOffer, dialTargetById, routeThroughBackups } from '../../src/flow/backups';
import { parseFlow } from '../../src/flow/loader';
import { FlowRegistry, phoneKey } from '../../src/flow/registry';
import type { Flow } from '../../src/flow/schema';
import { CallpathError } from '../../src/errors';

/** A flow as the registry sees it: an id, its numbers and a greeting that makes versions differ. */
function flowOf(id: string, opts: { numbers?: string[]; isDefault?: boolean; greeting?: string } = {}): Flow {
  return parseFlow(
    `id: ${id}
name: ${id}
numbers: ${JSON.stringify(opts.numbers ?? [])}
default: ${opts.isDefault ?? false}
targets:
  operator: { label: Växeln, number: "+46101300100", kind: operator }
start: hello
nodes:
  hello: { type: message, say: "${opts.greeting ?? 'Hej.'}", next: operator }
  operator: { type: transfer, target: operator, onNoAnswer: bye }
  bye: { type: hangup }
`,
    `${id}.yaml`,
  );
}

describe('the flows in service', () => {
  test('a called number picks its flow, written with spaces or dashes or not; any other number the default flow', () => {
    const reg = new FlowRegistry([flowOf('vaxel', { numbers: ['+46101300000'], isDefault: true }), flowOf('skola', { numbers: ['+46101300200'] })]);
    expect(reg.forNumber('+46 10-130 02 00').id).toBe('skola');
    expect(reg.forNumber('+46101300000').id).toBe('vaxel');
    expect(reg.forNumber('+46709999999').id).toBe('vaxel');
    expect(reg.forNumber(undefined).id).toBe('vaxel');
    expect(phoneKey('+46 (0)10-130 02 00')).toBe('+460101300200');
  });

  test('the default: DEFAULT_FLOW when given, else the flow marked default, else the first', () => {
    const a = flowOf('a');
    const b = flowOf('b', { isDefault: true });
    const c = flowOf('c');
    expect(new FlowRegistry([a, b, c], 'c').forNumber(undefined).id).toBe('c');
    expect(new FlowRegistry([a, b, c]).forNumber(undefined).id).toBe('b');
    expect(new FlowRegistry([a, c]).forNumber(undefined).id).toBe('a');
  });

  test('no flows, or a DEFAULT_FLOW that is not among them, is refused and the old set stays in service', () => {
    expect(() => new FlowRegistry([])).toThrow(CallpathError);
    expect(() => new FlowRegistry([])).toThrow('no flows to serve');
    expect(() => new FlowRegistry([flowOf('a')], 'vaxel')).toThrow(/DEFAULT_FLOW "vaxel" is not among the loaded flows/);
    const reg = new FlowRegistry([flowOf('vaxel')], 'vaxel');
    expect(() => reg.replace([flowOf('other')])).toThrow(CallpathError);
    expect(() => reg.replace([])).toThrow(CallpathError);
    expect(reg.list().map((f) => f.id)).toEqual(['vaxel']);
  });

  test('a reload names the flows whose version changed; every version stays reachable, the new one in service', () => {
    const v1 = flowOf('vaxel', { greeting: 'Hej.' });
    const other = flowOf('skola');
    const reg = new FlowRegistry([v1, other]);
    const v2 = flowOf('vaxel', { greeting: 'Välkommen.' });
    expect(reg.replace([v2, other])).toEqual(['vaxel']);
    expect(reg.get('vaxel')?.version).toBe(v2.version);
    expect(reg.version('vaxel', v1.version)).toBe(v1);
    expect(reg.version('vaxel', 'nosuchversion')).toBeNull();
    expect(reg.get('nosuchflow')).toBeNull();
    expect(reg.allVersions()).toEqual([v1, other, v2]);
    // A flow left out of the set is no longer in service, but its versions stay reachable.
    expect(reg.replace([v2])).toEqual([]);
    expect(reg.get('skola')).toBeNull();
    expect(reg.version('skola', other.version)).toBe(other);
  });

  test('versions from before a restart come first, in the order served, and are not put in service', () => {
    const old = flowOf('vaxel', { greeting: 'Gammal.' });
    const now = flowOf('vaxel', { greeting: 'Ny.' });
    const reg = new FlowRegistry([now]);
    reg.remember([old, now]);
    expect(reg.allVersions()).toEqual([old, now]);
    expect(reg.get('vaxel')).toBe(now);
    // The version already loaded keeps its object, not the archived copy.
    const archivedCopy = { ...now };
    reg.remember([old, archivedCopy]);
    expect(reg.version('vaxel', now.version)).toBe(now);
  });
});

describe('backups', () => {
  const flow = parseFlow(
    `id: backups
name: Backups
targets:
  operator: { label: Växeln, number: "+46101300100", kind: operator }
  bygglov: { label: Bygglov och miljö, number: "+46101300230", kind: department, category: bygglov }
  servicecenter: { label: Kontaktcenter, number: "+46101300300", kind: department }
operator: { key: "0", node: operator }
directory:
  "4711": { name: Anna Lind, number: "+46101304711", category: bygglov, backup: "4715" }
  "4712": { name: Johan Berg, number: "+46101304712", backup: servicecenter }
  "4713": { name: Sara Holm, number: "+46101304713", backup: "4713" }
  "4714": { name: Erik Nyström, number: "+46101304714", backup: "9999" }
  "4715": { name: Maria Sjö, number: "+46101304715" }
  "4716": { name: Olle Ek, number: "+46101304716", backup: "4715" }
start: person
nodes:
  person: { type: directory, prompt: Slå anknytningen., digits: 4, onNoAnswer: colleague }
  colleague: { type: backup, onNoAnswer: operator }
  first: { type: backup, noBackup: second, onNoAnswer: operator }
  second: { type: backup, noBackup: { next: bye, say: Ingen kollega. }, onNoAnswer: operator }
  operator: { type: transfer, target: operator, onNoAnswer: bye }
  bye: { type: hangup }
`,
    'backups.yaml',
  );

  test('a dial target by id: an extension is a person with a name, a target keeps its kind and label', () => {
    expect(dialTargetById(flow, '4715')).toEqual({ id: '4715', kind: 'person', number: '+46101304715', name: 'Maria Sjö' });
    expect(dialTargetById(flow, '4711')).toMatchObject({ category: 'bygglov' });
    expect(dialTargetById(flow, 'bygglov')).toEqual({ id: 'bygglov', kind: 'department', number: '+46101300230', name: 'Bygglov och miljö', category: 'bygglov' });
    expect(dialTargetById(flow, 'servicecenter')).not.toHaveProperty('category');
    expect(dialTargetById(flow, 'nobody')).toBeNull();
  });

  test("a person's backup; none for nobody sought, for no backup, for themself, or for a backup the flow does not know", () => {
    expect(backupOf(flow, '4711')?.id).toBe('4715');
    expect(backupOf(flow, '4712')).toMatchObject({ id: 'servicecenter', kind: 'department' });
    expect(backupOf(flow, undefined)).toBeNull();
    expect(backupOf(flow, '4715')).toBeNull();
    expect(backupOf(flow, '4713')).toBeNull();
    expect(backupOf(flow, '4714')).toBeNull();
    expect(backupOf(flow, 'bygglov')).toBeNull();
  });

  test('a route to a backup node stays as it is for a person with a backup', () => {
    expect(routeThroughBackups(flow, 'colleague', '4711')).toBe('colleague');
    expect(routeThroughBackups(flow, 'operator', '4715')).toBe('operator');
  });

  test("for a person without one it becomes the node's noBackup, followed through backup nodes, else the operator", () => {
    expect(routeThroughBackups(flow, 'colleague', '4715')).toBe('operator');
    expect(routeThroughBackups(flow, 'first', '4715')).toEqual({ next: 'bye', say: 'Ingen kollega.' });
    // The original route's words go with the caller to where they really go.
    expect(routeThroughBackups(flow, { next: 'colleague', say: 'Hen svarar inte.' }, '4715')).toEqual({ next: 'operator', say: 'Hen svarar inte.' });
  });

  test('a route to a node the flow does not have is left as it is (the loader names it)', () => {
    expect(routeThroughBackups(flow, 'nowhere', '4715')).toBe('nowhere');
  });

  test('without an operator and without noBackup the route is left as it is', () => {
    const noOperator = { ...flow, operator: undefined };
    expect(routeThroughBackups(noOperator, 'colleague', '4715')).toBe('colleague');
  });

  test('backup nodes that lead only to each other are given up on after a few hops', () => {
    const loop = {
      ...flow,
      nodes: { ...flow.nodes, first: { ...flow.nodes.first, noBackup: 'second' }, second: { ...flow.nodes.second, noBackup: 'first' } },
    } as Flow;
    // Four hops: first → second → first → second → first, where it stops.
    expect(routeThroughBackups(loop, 'first', '4715')).toBe('first');
  });

  test('the offer and the connecting sentence name where the backup works', () => {
    const colleague = backupOf(flow, '4711')!;
    // A colleague without a category of their own: the sought person's.
    expect(backupOffer(flow, '4711', colleague, '3', 'sv-SE')).toBe('För att nå en kollega inom bygglov, tryck 3.');
    expect(backupConnecting(flow, '4711', colleague, 'sv-SE')).toBe('Du kopplas till en kollega inom bygglov.');
    // A group without a category: its label, lower-cased as in running text.
    const group = backupOf(flow, '4712')!;
    expect(backupOffer(flow, '4712', group, '3', 'sv-SE')).toBe('För att nå kontaktcenter, tryck 3.');
    expect(backupConnecting(flow, '4712', group, 'sv-SE')).toBe('Du kopplas till kontaktcenter.');
    // A colleague and a sought person without categories: the sought person's name.
    const plain = backupOf(flow, '4716')!;
    expect(backupOffer(flow, '4716', plain, '3', 'sv-SE')).toBe('För att nå en kollega till Olle Ek, tryck 3.');
    expect(backupConnecting(flow, '4716', plain, 'sv-SE')).toBe('Du kopplas till en kollega till Olle Ek.');
  });

  test('in English the sentences name the person sought (the categories are Swedish words)', () => {
    const colleague = backupOf(flow, '4711')!;
    expect(backupOffer(flow, '4711', colleague, '3', 'en-GB')).toBe("To reach one of Anna Lind's colleagues, press 3.");
    expect(backupConnecting(flow, '4711', colleague, 'en-US')).toBe("Connecting you to one of Anna Lind's colleagues.");
  });
});
