/**
 * A virtual caller: plays Twilio against a running callpath so a flow can be tried without a phone
 * (options: USAGE below, or `npm run call -- --help`). Signs requests with TWILIO_AUTH_TOKEN (the
 * development token when unset) and reads the journey back with API_TOKEN (likewise).
 */
import path from 'node:path';
import { DEV_API_TOKEN, DEV_TWILIO_AUTH_TOKEN } from '../src/config';
import { loadFlowDir } from '../src/flow/loader';
import { FlowRegistry } from '../src/flow/registry';
import { VirtualCaller, type DialBehaviour, type QueueBehaviour } from '../src/sim/virtual-caller';
import { answerHelp } from './usage';

const USAGE = `npm run call -- [options]: a virtual caller that plays Twilio against a running callpath.

  --url URL          the server (default http://localhost:PORT, PORT 3000 unless set; PUBLIC_BASE_URL if set)
  --digits a,b,c     keys for successive menus ('-' for silence); the caller hangs up when they run out
  --dials x,y        what successive transfers do: answer | no-answer | busy | failed | hangup (default: answer)
  --no-answer        shorthand: the first transfer is not answered
  --busy             shorthand: the first transfer is busy
  --survey a,b,c     survey answers ('-' for silence)
  --callback         where the flow offers a callback (the demo: 3 when a person does not answer), ask
                     for one on the number called from (--from), confirming it
  --callback-number N  the same, keying in N (e.g. 0701234567) instead
  --speech "WORDS"   the spoken comment after the survey, where the flow asks for one (sent as
                     SpeechResult, Confidence 0.9); without it the caller stays silent there
  --talk SECONDS     conversation length (default 60)
  --queue-wait S     in a queue, a virtual operator takes the caller after S seconds (its number and the
                     agent number from the flow in FLOWS_DIR, default ./ivr-flows); without it nobody does
  --queue-hangup S   in a queue, the caller gives up after S seconds
  --queue-key K      in a queue, the caller presses K at the first chance
  --speed N          run N times faster than real time (default 10; 1 = real time)
  --to NUMBER        the called number (chooses the flow)
  --help, -h         this text

Examples: npm run call -- --digits 5,4711,0 --no-answer --survey 5,4,1
          npm run call -- --digits 0 --queue-wait 45 --survey 5,5,1
          npm run call -- --digits 5,4711,3 --no-answer --callback-number 0701234567
          npm run call -- --digits 1 --survey 2,2,2 --speech "Det tog lång tid att komma fram"`;

function args(argv: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      m.set(a.slice(2), next);
      i++;
    } else m.set(a.slice(2), 'true');
  }
  return m;
}

const list = (s: string | undefined) => (s ? s.split(',').map((x) => (x.trim() === '-' ? '' : x.trim())) : []);

function dialBehaviour(word: string, talkMs: number): DialBehaviour {
  switch (word) {
    case 'answer':
      return { answer: true, ringMs: 6000, talkMs };
    case 'no-answer':
    case 'busy':
    case 'failed':
      return { answer: false, status: word, ringMs: 3000 };
    case 'hangup':
      return { answer: false, status: 'caller-hangs-up', ringMs: 8000 };
    default:
      throw new Error(`--dials: unknown behaviour "${word}" (answer, no-answer, busy, failed, hangup)`);
  }
}

/** The URL the service signs webhooks for, from its /healthz; the URL typed when it does not say. */
async function publicBaseUrlOf(url: string): Promise<string> {
  try {
    const res = await fetch(`${url}/healthz`);
    const body = (await res.json()) as { publicBaseUrl?: unknown };
    return typeof body.publicBaseUrl === 'string' ? body.publicBaseUrl : url;
  } catch {
    return url;
  }
}

/** The first queue of the flow the called number reaches, and its first operator, from the local flow files. */
function operatorOf(to: string | undefined): { from: string; agentNumber: string } {
  const dir = path.resolve(process.env.FLOWS_DIR ?? './ivr-flows');
  const flow = new FlowRegistry(loadFlowDir(dir), process.env.DEFAULT_FLOW).forNumber(to);
  const queue = Object.values(flow.queues)[0];
  const operator = queue && Object.values(queue.operators)[0];
  if (!queue || !operator) throw new Error(`--queue-wait: flow ${flow.id} (${dir}) has no queue with operators`);
  return { from: operator.number, agentNumber: queue.agentNumber };
}

function queueBehaviour(a: Map<string, string>, talkMs: number): QueueBehaviour | undefined {
  const seconds = (name: string) => {
    const v = Number(a.get(name));
    if (!(v >= 0)) throw new Error(`--${name} must be a number of seconds`);
    return v;
  };
  const q: QueueBehaviour = {};
  if (a.has('queue-wait')) q.takenBy = { ...operatorOf(a.get('to')), afterSec: seconds('queue-wait'), talkMs };
  if (a.has('queue-hangup')) q.hangUpAfterSec = seconds('queue-hangup');
  if (a.has('queue-key')) q.key = { digit: a.get('queue-key')!, afterSec: 0 };
  return Object.keys(q).length ? q : undefined;
}

async function main(): Promise<void> {
  answerHelp(process.argv.slice(2), USAGE);
  const a = args(process.argv.slice(2));
  const known = new Set(['help', 'h', 'url', 'digits', 'dials', 'no-answer', 'busy', 'survey', 'talk', 'speed', 'to', 'from', 'queue-wait', 'queue-hangup', 'queue-key', 'speech', 'callback', 'callback-number']);
  for (const k of a.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}`);
  const url = (a.get('url') ?? process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
  // Twilio signs for the URL the service was given (PUBLIC_BASE_URL), whatever name reaches it here.
  const signedFor = await publicBaseUrlOf(url);
  const speed = Number(a.get('speed') ?? 10);
  if (!(speed > 0)) throw new Error('--speed must be a positive number');
  const talkMs = Number(a.get('talk') ?? 60) * 1000;
  const dials = list(a.get('dials')).map((w) => dialBehaviour(w, talkMs));
  if (a.has('no-answer')) dials.unshift(dialBehaviour('no-answer', talkMs));
  if (a.has('busy')) dials.unshift(dialBehaviour('busy', talkMs));
  const queue = queueBehaviour(a, talkMs);
  const started = Date.now();
  const caller = new VirtualCaller({
    authToken: process.env.TWILIO_AUTH_TOKEN ?? DEV_TWILIO_AUTH_TOKEN,
    target: url,
    publicBaseUrl: signedFor,
    // The caller's own time runs `speed` times faster, so waits it reports (QueueTime) are the waits meant.
    clock: { now: () => started + (Date.now() - started) * speed, sleep: (ms) => new Promise((r) => setTimeout(r, ms / speed)) },
  });
  const trace = await caller.call({
    digits: list(a.get('digits')),
    dials,
    survey: list(a.get('survey')),
    ...(a.has('speech') ? { speech: a.get('speech') === 'true' ? '' : a.get('speech') } : {}),
    to: a.get('to'),
    from: a.get('from'),
    queue,
    ...(a.has('callback') || a.has('callback-number') ? { callback: a.has('callback-number') ? { number: a.get('callback-number') } : {} } : {}),
  });
  for (const r of trace.requests) console.log(`${r.status} ${r.path.padEnd(15)} ${r.verbs.join(', ')}`);
  console.log(`\ncall ${trace.callSid} ended: ${trace.ending}${trace.error ? ` (${trace.error})` : ''}`);
  for (const s of trace.said) console.log(`  «${s}»`);
  await new Promise((r) => setTimeout(r, 500));
  const res = await fetch(`${url}/api/calls/${trace.callSid}`, { headers: { authorization: `Bearer ${process.env.API_TOKEN ?? DEV_API_TOKEN}` } });
  if (!res.ok) {
    console.log(`\njourney not available (${res.status}): ${await res.text()}`);
    return;
  }
  const j = (await res.json()) as Record<string, unknown>;
  console.log('\njourney:', JSON.stringify({ path: j.path, keyPresses: j.keyPresses, timeToHumanMs: j.timeToHumanMs, timeToOperatorMs: j.timeToOperatorMs, fallbacks: j.fallbacks, survey: j.survey, outcome: j.outcome }, null, 2));
  if (speed !== 1) console.log(`(times are ${speed}× compressed: run with --speed 1 for real time)`);
}

main().catch((err) => {
  console.error(`call: ${(err as Error).message}`);
  process.exit(1);
});
