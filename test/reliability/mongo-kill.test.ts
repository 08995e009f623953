import type { CallEvent } from '../../src/journey/events';
import { startKillableFerret } from '../helpers/ferret';
import { ferretBinary } from '../helpers/prerequisites';
import { startHarness, takenAfter } from '../helpers/harness';

/**
 * Kills the MongoDB-compatible server (FerretDB, SQLite on disk) in the middle of a load of calls,
 * restarts it on the same data, and checks that every recorded event ends up stored exactly once.
 */
ferretBinary();

describe('killing the database mid-load', () => {
  test('every event is stored exactly once after the database comes back', async () => {
    const ferret = await startKillableFerret();
    const h = await startHarness({ env: { STORE: 'mongo', MONGODB_URI: `mongodb://127.0.0.1:${ferret.port}/callpath_kill?maxPoolSize=1&serverSelectionTimeoutMS=500` } });
    const recorded = new Map<string, CallEvent>();
    h.service.onEvents.add((events) => events.forEach((e) => recorded.set(e.id, e)));
    try {
      const script = { digits: ['5', '4711', '0'], dials: [{ answer: false as const, status: 'no-answer' as const }], queue: takenAfter(10), survey: ['4', '5', '1'] };
      const calls: string[] = [];
      for (let i = 0; i < 18; i++) {
        if (i === 6) await ferret.kill();
        if (i === 12) {
          // The outage really held events back: they wait in the outbox, not in the database.
          expect(h.service.outbox.stats().pending).toBeGreaterThan(0);
          await ferret.restart();
        }
        const t = await h.caller.call(script);
        expect(t.ending).toBe('hangup-verb');
        calls.push(t.callSid);
      }
      // Generous: FerretDB on SQLite writes each rollup upsert in ~9 ms, far slower under a loaded CI machine.
      const flushStart = Date.now();
      const drained = await h.service.outbox.flush(180_000);
      // Not drained: the store's last refusal is what tells why (a driver that never reconnected, once).
      expect({ drained, lastError: drained ? null : h.service.outbox.stats().lastError }).toEqual({ drained: true, lastError: null });
      console.log(`outbox drained ${Date.now() - flushStart} ms after the database came back`);
      const stored: CallEvent[] = [];
      for (const sid of calls) stored.push(...(await h.service.store.eventsForCall(sid)));
      const ids = stored.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      // The webhooks' events, each once; beside them only what the ingestor derives once per ended call:
      // its record that the caller had sought the same target before (the script's caller calls repeatedly).
      const derived = stored.filter((e) => e.type === 'call.repeat');
      expect(new Set(stored.filter((e) => e.type !== 'call.repeat').map((e) => e.id))).toEqual(new Set(recorded.keys()));
      expect(derived.map((e) => e.id)).toEqual(derived.map((e) => `${e.callSid}:repeat`));
      expect(derived.length).toBeLessThan(calls.length);
      for (const sid of calls) {
        const j = await h.service.store.getJourney(sid);
        expect(j).toMatchObject({ outcome: 'answered_by_operator', keyPresses: 6, survey: { bemotande: 4, enkelhet: 5 } });
      }
    } finally {
      await h.close();
      await ferret.kill();
    }
  }, 300_000);
});

