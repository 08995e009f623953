import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import type { CallEvent } from '../../../src/journey/events';
import { createLogger } from '../../../src/log';
import { createRollupContribution } from '../../../src/metrics/contribution';
import { rebuildRollups } from '../../../src/metrics/rebuild';
import { MongoStore } from '../../../src/store/mongo/mongo-store';
import { rollupId, type Store } from '../../../src/store/store';
import { tempDir } from '../../helpers/harness';
import { mongoTestUri } from '../../helpers/prerequisites';
import { callEvents } from '../../store/store-contract';

/**
 * Two service instances on one MongoDB (FerretDB), each a process of its own, ingesting calls of the
 * same hours. Instance A is killed with SIGKILL between a group's journey write and its rollup write,
 * and started again while B goes on writing: A's restart repairs the hours it left, under B's writes,
 * then delivers its calls again (as its outbox would). Afterwards every rollup equals a rebuild from
 * the stored events: each group's increments counted once.
 */
const CHILD = path.join(__dirname, 'ingest-instance.ts');
const HOURS = ['2026-03-31T21:00:00Z', '2026-03-31T22:00:00Z', '2026-03-31T23:00:00Z', '2026-04-01T00:00:00Z'].map(Date.parse);
const EVERYTHING = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };

type Line = Record<string, unknown> & { at: number };

interface Run {
  lines: Line[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runInstance(opts: Record<string, unknown>): Run {
  // tsx as a loader in this one process (its command line would run the script in a child of its own).
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(opts)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Line[] = [];
  let rest = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop()!;
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Line);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { lines, exit };
}

const sid = (who: string, i: number) => `CA${who}${i.toString(16).padStart(31, '0')}`;

/** A survey answer to a call of the other instance, after the call ended: both instances project that call. */
function lateAnswer(callSid: string, start: number): CallEvent {
  return { id: `${callSid}:s:0`, callSid, at: start + 10_000, step: 100, seq: 0, type: 'survey.answer', question: 'bemotande', value: 4 } as CallEvent;
}

function deliveries(): { a: CallEvent[][]; b: CallEvent[][] } {
  const a: CallEvent[][] = [];
  const b: CallEvent[][] = [];
  for (let i = 0; i < 120; i += 4) {
    a.push([0, 1, 2, 3].flatMap((k) => callEvents(sid('a', i + k), HOURS[(i + k) % HOURS.length] + (i + k) * 20_000, `k1:caller-${k}`)));
  }
  for (let i = 0; i < 150; i++) {
    const start = HOURS[i % HOURS.length] + i * 15_000;
    const delivery = callEvents(sid('b', i), start, `k1:caller-${i % 7}`);
    if (i < 120 && i % 3 === 0) delivery.push(lateAnswer(sid('a', i), HOURS[i % HOURS.length] + i * 20_000));
    b.push(delivery);
  }
  return { a, b };
}

async function allRollups(store: Store): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const d of await store.queryRollups(EVERYTHING)) {
    const counts = Object.fromEntries(Object.entries(d.counts).filter(([, v]) => v !== 0).sort(([x], [y]) => (x < y ? -1 : 1)));
    if (Object.keys(counts).length) out[rollupId(d)] = counts;
  }
  return out;
}

test('instance A killed between journeys and rollups, restarted under B’s writes: every group counted once', async () => {
  const dir = tempDir('callpath-two-instances-');
  const u = new URL(mongoTestUri());
  u.pathname = `/callpath_two_instances_${process.pid}`;
  const uri = u.toString();
  const { a, b } = deliveries();
  fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(a));
  fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify(b));
  const store = await MongoStore.connect(uri, createLogger('silent'));
  try {
    const instanceB = runInstance({ uri, instanceId: 'instance-b', deliveriesFile: path.join(dir, 'b.json'), pauseMs: 15 });
    // A starts once B is writing, so B's writes surround A's kill whatever each process's start-up costs
    // (each group's ingestion now also looks up its callers' earlier calls, which moved the race).
    for (const until = Date.now() + 60_000; !instanceB.lines.some((l) => 'delivered' in l); ) {
      if (Date.now() > until) throw new Error('instance B delivered nothing within 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    const firstA = runInstance({ uri, instanceId: 'instance-a', deliveriesFile: path.join(dir, 'a.json'), killAtRollupWrite: 3 });
    expect(await firstA.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(firstA.lines.at(-1)).toMatchObject({ killed: 3 });
    expect((await store.listRollupIntents()).filter((i) => i.owner === 'instance-a')).toHaveLength(1);

    const secondA = runInstance({ uri, instanceId: 'instance-a', deliveriesFile: path.join(dir, 'a.json'), repairFirst: true });
    const [exitA, exitB] = await Promise.all([secondA.exit, instanceB.exit]);
    expect({ exitA, exitB }).toEqual({ exitA: { code: 0, signal: null }, exitB: { code: 0, signal: null } });

    const repaired = secondA.lines.find((l) => 'repaired' in l)!;
    expect(repaired.repaired).toMatchObject({ intents: 1 });
    // B wrote the same hours before A was killed and after A's repair: the repair ran under its writes.
    const delivered = instanceB.lines.filter((l) => 'delivered' in l);
    const killedAt = firstA.lines.at(-1)!.at;
    expect(delivered.some((l) => l.at < killedAt)).toBe(true);
    expect(delivered.some((l) => l.at > repaired.at)).toBe(true);
    console.log(
      `two instances: A's repair took ${secondA.lines.filter((l) => 'repairBusy' in l).length + 1} tries, ` +
        `${delivered.filter((l) => l.at > killedAt && l.at < repaired.at).length} of B's deliveries landed between A's kill and its repair`,
    );

    expect(await store.listRollupIntents()).toEqual([]);
    const after = await allRollups(store);
    expect(after[`vaxel|v1|2026-03-31T21:00:00.000Z|call`]).toBeDefined();
    await rebuildRollups(store, { contribution: createRollupContribution({ timeZone: 'Europe/Stockholm' }) });
    expect(after).toEqual(await allRollups(store));
  } finally {
    await store.close();
    const c = await mongoose.createConnection(uri).asPromise();
    await c.dropDatabase();
    await c.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
