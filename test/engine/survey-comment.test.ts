import type { Action, SpeechGather } from '../../src/flow/actions';
import { handleComment, handleDialResult, handleInput, startCall } from '../../src/flow/engine';
import { MAX_COMMENT_CHARS } from '../../src/flow/nodes/survey';
import { parseFlow } from '../../src/flow/loader';
import type { CallState } from '../../src/flow/state';
import { projectJourney } from '../../src/journey/projector';
import { stampEvents } from '../../src/ingest/recorder';

const CALL = 'CA00000000000000000000000000000c01';

/** One department, a survey of one question, and (unless `comment` says otherwise) a spoken comment after it. */
function flowWith(comment: string, languages = 'languages: { default: sv-SE, voices: { sv-SE: Polly.Astrid, en-GB: Polly.Amy } }') {
  return parseFlow(
    `id: c
name: C
${languages}
survey: { questions: [bemotande], ${comment} }
targets:
  dept: { label: Avdelning, number: "+46101300200", kind: department }
start: lang
nodes:
  lang: { type: language, prompt: "1 English, 2 svenska", options: { "1": en-GB, "2": sv-SE }, next: dept }
  dept: { type: transfer, target: dept, onNoAnswer: bye }
  bye: { type: hangup }
`,
    'c.yaml',
  );
}

const next = (actions: Action[]): CallState => (actions.find((a) => a.kind === 'gather' || a.kind === 'dial') as { next: { state: CallState } }).next.state;
const speechGather = (actions: Action[]) => actions.find((a): a is SpeechGather => a.kind === 'gather' && a.input === 'speech');

/** The call up to the survey's last question answered, in the language the caller chose. */
function answeredSurvey(flow: ReturnType<typeof flowWith>, languageKey: '1' | '2') {
  let state = next(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions);
  state = next(handleInput(flow, state, CALL, languageKey).actions);
  state = next(handleDialResult(flow, state, CALL, { status: 'completed', callerHungUp: false, durationSec: 60 }).actions);
  return handleInput(flow, state, CALL, '4');
}

describe('the spoken comment after the survey', () => {
  const flow = flowWith('comment: { enabled: true, maxSeconds: 20 }');

  test('Swedish call: after the last answer the survey is complete and listens for Swedish speech, the question spoken inside the Gather', () => {
    const step = answeredSurvey(flow, '2');
    expect(step.events.map((e) => e.type)).toEqual(['survey.answer', 'survey.completed']);
    const g = speechGather(step.actions)!;
    expect(g).toMatchObject({ input: 'speech', language: 'sv-SE', timeoutSeconds: 5, maxSpeechSeconds: 20 });
    expect(g.say.map((s) => s.text)).toEqual(['Vill du lämna en kort kommentar om samtalet? Säg den nu, eller lägg på.']);
    expect(g.say[0]).toMatchObject({ language: 'sv-SE', voice: 'Polly.Astrid' });
    expect(g.next.handler).toBe('comment');
    expect(step.actions.map((a) => a.kind)).toEqual(['gather']);
  });

  test('English call: the recogniser listens in the call\'s language (en-GB) and the question is English', () => {
    const g = speechGather(answeredSurvey(flow, '1').actions)!;
    expect(g.language).toBe('en-GB');
    expect(g.say[0]).toMatchObject({ text: 'Would you like to leave a short comment about the call? Say it now, or just hang up.', language: 'en-GB', voice: 'Polly.Amy' });
  });

  test('the words are recorded on the event with their size and confidence, thanked for, and the IVR hangs up; the journey keeps no words', () => {
    const g = speechGather(answeredSurvey(flow, '2').actions)!;
    const step = handleComment(flow, g.next.state, CALL, { text: '  Det tog alldeles för lång tid att komma fram till bygglov.  ', confidence: 0.87 });
    const words = 'Det tog alldeles för lång tid att komma fram till bygglov.';
    expect(step.events).toEqual([
      { type: 'survey.comment', chars: words.length, confidence: 0.87, language: 'sv-SE', text: words },
      { type: 'ivr.hangup', nodeId: 'dept' },
    ]);
    expect(step.actions).toEqual([{ kind: 'say', text: 'Tack för din kommentar. Hej då.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
    const events = stampEvents(step.events, { callSid: CALL, requestKey: 'r', at: 1_000, step: 9 });
    const journey = projectJourney(CALL, events);
    expect(journey.survey.comment).toEqual({ confidence: 0.87, chars: words.length });
    expect(JSON.stringify(journey)).not.toContain('bygglov');
  });

  test('silence, a timeout or only whitespace is no comment: recorded as none, the usual thanks', () => {
    const g = speechGather(answeredSurvey(flow, '1').actions)!;
    for (const text of ['', '   ']) {
      const step = handleComment(flow, g.next.state, CALL, { text, confidence: 0.4 });
      expect(step.events[0]).toEqual({ type: 'survey.comment', chars: 0, confidence: null, language: 'en-GB' });
      expect(step.actions[0]).toMatchObject({ kind: 'say', text: 'Thank you for your answers. Goodbye.' });
      expect(projectJourney(CALL, stampEvents(step.events, { callSid: CALL, requestKey: 'r', at: 1, step: 9 })).survey.comment).toBeNull();
    }
  });

  test('a flow\'s own wording replaces the built-in question, per language', () => {
    const own = flowWith('comment: { enabled: true }, prompts: { comment: { sv-SE: "Säg gärna något om samtalet.", en-GB: "Tell us about the call." } }');
    expect(speechGather(answeredSurvey(own, '2').actions)!.say[0].text).toBe('Säg gärna något om samtalet.');
    expect(speechGather(answeredSurvey(own, '1').actions)!.say[0].text).toBe('Tell us about the call.');
  });

  test('off by default: the last answer is thanked for and the call ends, nothing listens', () => {
    const step = answeredSurvey(flowWith(''), '2');
    expect(speechGather(step.actions)).toBeUndefined();
    expect(step.actions.map((a) => a.kind)).toEqual(['say', 'hangup']);
  });

  test('a comment longer than Twilio\'s 60 s recogniser allows is refused by the flow schema', () => {
    expect(() => flowWith('comment: { enabled: true, maxSeconds: 90 }')).toThrow(/maxSeconds/);
  });

  test('the words kept are cut at MAX_COMMENT_CHARS, after the surrounding blanks are trimmed', () => {
    const g = speechGather(answeredSurvey(flow, '2').actions)!;
    const step = handleComment(flow, g.next.state, CALL, { text: '  ' + 'a'.repeat(MAX_COMMENT_CHARS + 50), confidence: 0.5 });
    expect(step.events[0]).toMatchObject({ type: 'survey.comment', chars: MAX_COMMENT_CHARS, text: 'a'.repeat(MAX_COMMENT_CHARS) });
  });
});

describe('the survey questions and its offer', () => {
  /** The call up to the survey's first question, which is being asked. */
  function atFirstQuestion(flow: ReturnType<typeof flowWith>) {
    let state = next(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions);
    state = next(handleInput(flow, state, CALL, '2').actions);
    return handleDialResult(flow, state, CALL, { status: 'completed', callerHungUp: false, durationSec: 60 });
  }

  test('an answer is one key of the scale: "05" is not 5, and is asked again', () => {
    const flow = flowWith('');
    const step = handleInput(flow, next(atFirstQuestion(flow).actions), CALL, '05');
    expect(step.events.map((e) => e.type)).not.toContain('survey.answer');
    expect(step.events.map((e) => e.type)).toEqual(['survey.invalid']);
  });

  test('a survey the flow never offers is recorded as declined for that reason, not as sampled out', () => {
    const flow = flowWith('offer: never');
    const step = atFirstQuestion(flow);
    expect(step.events).toContainEqual({ type: 'survey.declined', reason: 'disabled' });
    expect(step.actions.map((a) => a.kind)).toEqual(['say', 'hangup']);
  });
});
