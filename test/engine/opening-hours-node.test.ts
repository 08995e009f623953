import fs from 'node:fs';
import path from 'node:path';
import type { Action, Gather, Say } from '../../src/flow/actions';
import { EngineFault, handleDialResult, startCall } from '../../src/flow/engine';
import { loadFlowFile } from '../../src/flow/loader';
import type { CallState } from '../../src/flow/state';
import type { CallEvent } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import { API_TOKEN, startHarness, tempDir } from '../helpers/harness';

const FIXTURE = path.join(__dirname, '../fixtures/flows/good/opening-hours.yaml');
const flow = loadFlowFile(FIXTURE);
const CALL = 'CA00000000000000000000000000000002';
const newCall = { callSid: CALL, caller: 'k1:x', to: '+46101300000' };
/** Monday 2 March 2026, 10:00 in Stockholm; Saturday 7 March, 10:00; Monday 2 March, 17:00. */
const MONDAY_10 = Date.parse('2026-03-02T10:00:00+01:00');
const SATURDAY_10 = Date.parse('2026-03-07T10:00:00+01:00');
const MONDAY_17 = Date.parse('2026-03-02T17:00:00+01:00');

const says = (actions: Action[]) => actions.flatMap((a) => (a.kind === 'say' ? [(a as Say).text] : a.kind === 'gather' ? (a as Gather).say.map((s) => s.text) : []));
const withMeta = (events: ReturnType<typeof startCall>['events'], at: number, step: number): CallEvent[] =>
  events.map((e, seq) => ({ ...e, id: `${CALL}:${step}:${seq}`, callSid: CALL, at, step, seq }) as CallEvent);

describe('the opening-hours node', () => {
  test('within the hours the call goes on to the menu, and the check is recorded', () => {
    const step = startCall(flow, newCall, MONDAY_10);
    expect(step.events).toEqual(expect.arrayContaining([{ type: 'hours.checked', nodeId: 'open_check', open: true }]));
    expect(step.actions[0]).toMatchObject({ kind: 'gather', next: { state: { n: 'main' } } });
    expect(says(step.actions)).toEqual(['För skola, tryck 1. För växeln, tryck 0.']);
  });

  test('outside them (a Saturday, a weekday evening) the caller hears the closed message and the call ends', () => {
    for (const at of [SATURDAY_10, MONDAY_17]) {
      const step = startCall(flow, newCall, at);
      expect(step.events.map((e) => e.type)).toEqual(['call.started', 'node.entered', 'hours.checked', 'node.entered', 'ivr.hangup']);
      expect(step.events[2]).toEqual({ type: 'hours.checked', nodeId: 'open_check', open: false });
      expect(says(step.actions)).toEqual(['Växeln är stängd. Vi har öppet vardagar 8 till 16.30, fredagar till 15. Hej då.']);
      expect(step.actions[step.actions.length - 1]).toEqual({ kind: 'hangup' });
    }
  });

  test('a step without a time cannot decide: an engine fault, which the webhook turns into the operator', () => {
    expect(() => startCall(flow, newCall)).toThrow(EngineFault);
  });

  test('reached later in a call (after a transfer nobody answered), the check uses that step’s time', () => {
    const withCheckLater = loadFlowFile(FIXTURE);
    // The department's no-answer route goes through the opening-hours check before the operator.
    (withCheckLater.nodes.skola as { onNoAnswer: unknown }).onNoAnswer = 'open_check';
    const ringing: CallState = { f: withCheckLater.id, v: withCheckLater.version, n: 'skola', l: 'sv-SE', r: 0, k: 2, t: 'skola' };
    const late = handleDialResult(withCheckLater, ringing, CALL, { status: 'no-answer', callerHungUp: false, durationSec: 0 }, MONDAY_17);
    expect(late.events).toEqual(expect.arrayContaining([{ type: 'hours.checked', nodeId: 'open_check', open: false }]));
    const early = handleDialResult(withCheckLater, ringing, CALL, { status: 'no-answer', callerHungUp: false, durationSec: 0 }, MONDAY_10);
    expect(early.events).toEqual(expect.arrayContaining([{ type: 'hours.checked', nodeId: 'open_check', open: true }]));
  });

  test('the journey of a call outside the hours: outcome outside_hours, not abandoned nor self-service', () => {
    const closed = withMeta(startCall(flow, newCall, SATURDAY_10).events, SATURDAY_10, 0);
    const ended = [...closed, { id: `${CALL}:s`, callSid: CALL, at: SATURDAY_10 + 9000, step: 1_000_000, seq: 0, type: 'call.ended', status: 'completed', durationSec: 9 } as CallEvent];
    expect(projectJourney(CALL, ended)).toMatchObject({ outcome: 'outside_hours', outsideHours: true, ended: true, path: ['open_check', 'closed'] });
    const open = withMeta(startCall(flow, newCall, MONDAY_10).events, MONDAY_10, 0);
    expect(projectJourney(CALL, open)).toMatchObject({ outcome: 'in_progress', outsideHours: false });
  });
});

describe('opening hours through the webhooks', () => {
  test('a call on a holiday hears the closed message; the summary counts it outside the hours, not as abandoned', async () => {
    const flowsDir = tempDir('callpath-hours-flows-');
    fs.writeFileSync(path.join(flowsDir, 'hours.yaml'), fs.readFileSync(FIXTURE, 'utf8').replace('name: Växel med öppettider', 'name: Växel med öppettider\ndefault: true'));
    const h = await startHarness({ env: { FLOWS_DIR: flowsDir } });
    try {
      // Kristi himmelsfärdsdag, a Thursday: closed all day.
      h.clock.set(Date.parse('2026-05-14T10:00:00+02:00'));
      const onHoliday = await h.caller.call({ digits: [], dials: [], survey: [] });
      expect(onHoliday.ending).toBe('hangup-verb');
      expect(onHoliday.said.join(' ')).toContain('Växeln är stängd.');
      // The next morning it is open: the menu, key 1, the department answers.
      h.clock.set(Date.parse('2026-05-15T09:00:00+02:00'));
      const nextDay = await h.caller.call({ digits: ['1'], dials: [{ answer: true }], survey: [] });
      expect(nextDay.said.join(' ')).toContain('För skola, tryck 1.');
      await h.settle();
      expect((await h.api(`/api/calls/${onHoliday.callSid}`, API_TOKEN)).body).toMatchObject({ outcome: 'outside_hours', outsideHours: true });
      const summary = (await h.api('/api/metrics/summary?from=2026-05-14&to=2026-05-16', API_TOKEN)).body.summary;
      expect(summary.calls).toBe(2);
      expect(summary.outsideHours).toEqual({ count: 1, share: 0.5 });
      expect(summary.abandoned.total.count).toBe(0);
      expect(summary.answered.count).toBe(1);
    } finally {
      await h.close();
    }
  }, 60_000);
});
