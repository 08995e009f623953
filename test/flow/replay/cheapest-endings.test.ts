/**
 * cheapestPath (src/flow/replay/cheapest.ts) for a call the IVR ended by itself: each kind of node it
 * can end at (hang-up, a message without next, the survey, a callback), what is heard on the way, and
 * that only the intent's own ending will do.
 */
import { cheapestPath } from '../../../src/flow/replay/cheapest';
import type { Flow } from '../../../src/flow/schema';
import { flowOf } from '../lint/flows';
import { chars, department, M, selfService, transfers } from './intents';

/**
 * The lint base flow with a 20-character main menu (1 200 ms to press under M) and an ending behind
 * each key: 2 a message without next, 3 the survey, 4 a callback (which moves on to the goodbye),
 * 5 a 5-character message, then the goodbye.
 */
const flow: Flow = flowOf((f) => {
  f.nodes.main.prompt = chars(20);
  f.nodes.main.routes = { '1': 'skola', '2': 'info', '3': 'survey', '4': 'cb', '5': 'quiet' };
  f.nodes.info = { type: 'message', say: chars(30) };
  f.nodes.survey = { type: 'survey' };
  f.nodes.cb = { type: 'callback', say: chars(9), next: 'bye' };
  f.nodes.quiet = { type: 'message', say: chars(5), next: 'bye' };
});

describe('cheapestPath to the ending of a self-service call', () => {
  test('a hang-up: the message before it heard and listed, the ending last', () => {
    expect(cheapestPath(flow, selfService('bye'), M)).toEqual({ keys: 1, menuMs: 1200 + 50, ringMs: 0, steps: ['main [5]', 'quiet', 'bye'] });
  });

  test('a message without next ends the call: what it says is not counted', () => {
    expect(cheapestPath(flow, selfService('info'), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [2]', 'info'] });
  });

  test('the survey', () => {
    expect(cheapestPath(flow, selfService('survey'), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [3]', 'survey'] });
  });

  test('a callback request', () => {
    expect(cheapestPath(flow, selfService('cb'), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [4]', 'cb'] });
  });

  test('a node that is no ending (a menu, a message that moves on) is not reached as one', () => {
    expect(cheapestPath(flow, selfService('main'), M)).toBeNull();
    expect(cheapestPath(flow, selfService('quiet'), M)).toBeNull();
  });

  test('an ending the flow does not have: no path', () => {
    expect(cheapestPath(flow, selfService('closed'), M)).toBeNull();
  });

  test('a caller who wanted a department does not end at an ending', () => {
    const noTransfer = flowOf((f) => {
      f.nodes.main.routes = { '1': 'bye' };
    });
    expect(cheapestPath(noTransfer, transfers([department('omsorg')]), M)).toBeNull();
  });
});
