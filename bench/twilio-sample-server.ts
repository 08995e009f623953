/**
 * The baseline: what a municipality would otherwise pick, a webhook server built the way Twilio's
 * IVR tutorial (TwilioDevEd/ivr-phone-tree-node) builds one. Express with a urlencoded body parser,
 * `twilio.webhook()` checking X-Twilio-Signature in front of every route (the tutorial turns the check
 * off for local runs; a deployment must not), and `twilio.twiml.VoiceResponse` building each answer:
 * the menu as a Gather, a transfer as a Say and a Dial whose Number reports the child leg's progress,
 * the survey as Gathers (the keys, then a spoken comment, as the demo flow asks), goodbye as Say and Hangup, an empty Response to status callbacks. The
 * operator is a queue as Twilio's queue tutorial builds one: Enqueue with a wait URL that says the
 * caller's place over a pause (a key to leave), operators taking callers with Dial and Queue.
 *
 * It is the same switchboard as ivr-flows/vaxel.yaml, hand-written as a phone tree in the tutorial's
 * style, answering the same signed webhooks: the bench replays the URLs callpath gave Twilio, so the
 * call's place in the tree travels in the query under the names callpath uses (n node, l language,
 * r retry, t transfer target, q survey question; callpath's f, v and k it ignores). Its answers are
 * about the size of callpath's (absolute action URLs, the same prompts). It persists nothing, logs
 * nothing and keeps no state between requests: everything it does is answer.
 *
 *   TWILIO_AUTH_TOKEN=… PUBLIC_BASE_URL=https://… node dist/bench/twilio-sample-server.js PORT
 *
 * PUBLIC_BASE_URL is the address Twilio calls (behind a proxy here, as in production): its protocol
 * and host are what `twilio.webhook()` validates the signature against, with the request's path.
 */
import express, { type Request, type Response } from 'express';
import twilio from 'twilio';

const VoiceResponse = twilio.twiml.VoiceResponse;
type VoiceResponse = InstanceType<typeof VoiceResponse>;

const port = Number(process.argv[2]);
const authToken = process.env.TWILIO_AUTH_TOKEN;
const publicBaseUrl = process.env.PUBLIC_BASE_URL;
if (!port || !authToken || !publicBaseUrl) {
  process.stderr.write('usage: TWILIO_AUTH_TOKEN=… PUBLIC_BASE_URL=https://… node twilio-sample-server.js PORT\n');
  process.exit(2);
}
const base = new URL(publicBaseUrl);

type Lang = 'sv-SE' | 'en-GB';
const VOICE = { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } as const;
const text = (sv: string, en: string) => ({ 'sv-SE': sv, 'en-GB': en });

const WELCOME = text('Välkommen till Exempelstads kommun.', 'Welcome to the municipality of Exempelstad.');
const MAIN_MENU = text(
  'För förskola och skola, tryck 1. För vård och omsorg, tryck 2. För bygglov och miljö, tryck 3. För vatten och avfall, tryck 4. ' +
    'Vet du anknytningen till den du söker, tryck 5. För växeln, tryck 0. For English, press 9.',
  'For preschool and school, press 1. For health and social care, press 2. For building permits and environment, press 3. ' +
    'For water and waste, press 4. If you know the extension of the person you are looking for, press 5. For the switchboard, press 0.',
);
const NOT_AN_OPTION = text('Det valet finns inte.', 'That is not an option.');
const LANGUAGE_MENU = text('For English, press 1. För svenska, tryck 2.', 'For English, press 1. För svenska, tryck 2.');
const PERSON_PROMPT = text('Slå anknytningens fyra siffror.', 'Enter the four digits of the extension.');
const PERSON_UNAVAILABLE = text(
  'Den du söker svarar inte just nu. För att söka en annan person, tryck 1. För huvudmenyn, tryck 2. För växeln, tryck 0.',
  'The person you are looking for is not answering. To try another extension, press 1. For the main menu, press 2. For the switchboard, press 0.',
);
const CONNECTING_PERSON = text('Du kopplas nu.', 'Connecting you now.');
const TO_OPERATOR = text('Du kopplas till växeln.', 'Connecting you to the switchboard.');
const NO_ANSWER = text('Ingen svarar just nu. Du kopplas till växeln.', 'Nobody is answering. Connecting you to the switchboard.');
const OPERATOR_CLOSED = text(
  'Alla i växeln är upptagna just nu. Ring gärna igen, eller besök exempelstad.se. Hej då.',
  'Everyone at the switchboard is busy. Please call again, or visit exempelstad.se. Goodbye.',
);
const SURVEY_INTRO = text(
  'Tack för ditt samtal. Vi vill gärna veta vad du tyckte. Svara med en siffra från 1 till 5, där 1 är sämst och 5 är bäst. ' +
    'Dina svar sparas utan ditt telefonnummer. Vill du inte svara, tryck stjärna eller lägg på.',
  'Thank you for your call. We would like to know what you thought. Answer with a number from 1 to 5, where 1 is worst and 5 is best. ' +
    'Your answers are stored without your phone number. To decline, press star or hang up.',
);
const SURVEY_QUESTIONS = [
  text(
    'I din senaste kontakt med kommunens medarbetare via telefoni, hur nöjd var du med bemötandet? Svara 1 till 5.',
    'In your latest contact with the municipality by phone, how satisfied were you with how you were treated? Answer 1 to 5.',
  ),
  text(
    'Hur enkelt var det att få hjälp av kommunen med din fråga via telefoni? Svara 1 till 5.',
    'How easy was it to get help from the municipality with your question by phone? Answer 1 to 5.',
  ),
  text('Fick du svar på din fråga? Tryck 1 för ja, 2 för nej.', 'Did you get an answer to your question? Press 1 for yes, 2 for no.'),
];
const SURVEY_THANKS = text('Tack för dina svar. Hej då.', 'Thank you for your answers. Goodbye.');
const COMMENT_PROMPT = text(
  'Vill du lämna en kort kommentar om samtalet? Säg den nu, eller lägg på.',
  'Would you like to leave a short comment about the call? Say it now, or just hang up.',
);
const COMMENT_THANKS = text('Tack för din kommentar. Hej då.', 'Thank you for your comment. Goodbye.');
const SPEECH_LANGUAGE = { 'sv-SE': 'sv-SE', 'en-GB': 'en-GB' } as const;

const OPERATOR = { queue: 'vaxeln', say: TO_OPERATOR, maxWaitSec: 300 };
const IN_QUEUE = text('Du står nu i kö till växeln.', 'You are now in the queue for the switchboard.');
const QUEUE_KEYS = text('Vet du anknytningen till den du söker, tryck 1.', 'If you know the extension of the person you are looking for, press 1.');
const CONNECTING_OPERATOR = text('Du kopplas nu till växeln.', 'Connecting you to the switchboard now.');
const DEPARTMENTS: Record<string, { node: string; number: string; say: Record<Lang, string> }> = {
  '1': { node: 'skola', number: '+46101300210', say: text('Du kopplas till förskola och skola.', 'Connecting you to preschool and school.') },
  '2': { node: 'omsorg', number: '+46101300220', say: text('Du kopplas till vård och omsorg.', 'Connecting you to health and social care.') },
  '3': { node: 'bygglov', number: '+46101300230', say: text('Du kopplas till bygglov och miljö.', 'Connecting you to building permits and environment.') },
  '4': { node: 'vatten', number: '+46101300240', say: text('Du kopplas till vatten och avfall.', 'Connecting you to water and waste.') },
};
const DIRECTORY: Record<string, string> = { '4711': '+46101304711', '4712': '+46101304712', '4713': '+46101304713', '4714': '+46101304714' };
const MENU_RETRIES = 2;

/** Where the call is in the tree, as the query of the URL Twilio calls back. */
interface State {
  n: string;
  l: Lang;
  r?: number;
  t?: string;
  q?: number;
}

function stateOf(req: Request): State {
  const s = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : '');
  const num = (k: string) => (s(k) === '' ? undefined : Number(s(k)));
  return { n: s('n') || 'main', l: s('l') === 'en-GB' ? 'en-GB' : 'sv-SE', r: num('r') ?? 0, t: s('t') || undefined, q: num('q') };
}

function url(route: string, s: State): string {
  const query = new URLSearchParams({ n: s.n, l: s.l, r: String(s.r ?? 0) });
  if (s.t !== undefined) query.set('t', s.t);
  if (s.q !== undefined) query.set('q', String(s.q));
  return `${base.origin}/twilio/${route}?${query}`;
}

const say = (node: VoiceResponse | ReturnType<VoiceResponse['gather']>, l: Lang, words: Record<Lang, string>) => node.say({ voice: VOICE[l], language: l }, words[l]);

/** A Gather for one key (or `digits` keys); no answer comes back to the same URL with empty Digits. */
function gather(twiml: VoiceResponse, s: State, prompts: Record<Lang, string>[], opts: { digits?: number; timeout?: number } = {}): string {
  const action = url('input', s);
  const g = twiml.gather({ input: ['dtmf'], numDigits: opts.digits ?? 1, timeout: opts.timeout ?? 6, action, method: 'POST', actionOnEmptyResult: true });
  for (const p of prompts) say(g, s.l, p);
  twiml.redirect({ method: 'POST' }, action);
  return twiml.toString();
}

function transfer(twiml: VoiceResponse, s: State, target: string, number: string, timeout: number): string {
  const next: State = { n: s.n, l: s.l, t: target };
  const dial = twiml.dial({ timeout, hangupOnStar: true, action: url('dial', next), method: 'POST' });
  dial.number({ statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'], statusCallback: url('leg', next), statusCallbackMethod: 'POST' }, number);
  return twiml.toString();
}

function toOperator(s: State, words: Record<Lang, string> | null = OPERATOR.say): string {
  const twiml = new VoiceResponse();
  if (words) say(twiml, s.l, words);
  say(twiml, s.l, IN_QUEUE);
  const at: State = { n: 'operator', l: s.l };
  twiml.enqueue({ action: url('queue-result', at), method: 'POST', waitUrl: url('queue-wait', at), waitUrlMethod: 'POST' }, OPERATOR.queue);
  return twiml.toString();
}

/** POST /twilio/queue-wait: the caller's place, then 30 s of silence listening for the key; out at the longest wait. */
function queueWait(s: State, position: number, waitedSec: number): string {
  const twiml = new VoiceResponse();
  if (waitedSec >= OPERATOR.maxWaitSec) {
    twiml.leave();
    return twiml.toString();
  }
  const g = twiml.gather({ input: ['dtmf'], numDigits: 1, timeout: 1, action: url('queue-key', s), method: 'POST', actionOnEmptyResult: false });
  say(g, s.l, position <= 1 ? text('Du är först i kön.', 'You are first in the queue.') : text(`Du är nummer ${position} i kön.`, `You are number ${position} in the queue.`));
  say(g, s.l, QUEUE_KEYS);
  g.pause({ length: 30 });
  return twiml.toString();
}

/** POST /twilio/queue-key: 1 leaves the queue for the person search; anything else keeps the caller waiting. */
function queueKey(s: State, digits: string): string {
  const twiml = new VoiceResponse();
  if (digits === '1') twiml.leave();
  else {
    say(twiml, s.l, NOT_AN_OPTION);
    twiml.redirect({ method: 'POST' }, url('queue-wait', s));
  }
  return twiml.toString();
}

/** POST /twilio/queue-result: how the caller left the queue. */
function queueResult(s: State, callStatus: string, result: string, waitedSec: number): string {
  if (callStatus === 'completed' || result === 'hangup' || result === 'redirected') return new VoiceResponse().toString();
  if (result === 'bridged' || result === 'bridging-in-process') return surveyQuestion(s, 0);
  if (result === 'leave' && waitedSec < OPERATOR.maxWaitSec) return personPrompt(s.l);
  const twiml = new VoiceResponse();
  say(twiml, s.l, OPERATOR_CLOSED);
  twiml.hangup();
  return twiml.toString();
}

/** POST /twilio/agent: an operator takes the next caller; after each conversation the same again. */
function agent(): string {
  const twiml = new VoiceResponse();
  const dial = twiml.dial({ timeout: 300, action: `${base.origin}/twilio/agent-done`, method: 'POST' });
  dial.queue({ url: `${base.origin}/twilio/queue-bridge`, method: 'POST' }, OPERATOR.queue);
  return twiml.toString();
}

function agentDone(callStatus: string, dialStatus: string): string {
  const twiml = new VoiceResponse();
  if (callStatus !== 'completed' && dialStatus === 'completed') twiml.redirect({ method: 'POST' }, `${base.origin}/twilio/agent`);
  return twiml.toString();
}

function bridge(): string {
  const twiml = new VoiceResponse();
  say(twiml, 'sv-SE', CONNECTING_OPERATOR);
  return twiml.toString();
}

const mainMenu = (l: Lang, r: number, before: Record<Lang, string>[] = []) => gather(new VoiceResponse(), { n: 'main', l, r }, [...before, MAIN_MENU]);
const personPrompt = (l: Lang, r = 0) => gather(new VoiceResponse(), { n: 'person', l, r }, [PERSON_PROMPT], { digits: 4, timeout: 8 });

function surveyQuestion(s: State, q: number): string {
  const twiml = new VoiceResponse();
  if (q >= SURVEY_QUESTIONS.length) {
    // As the demo flow: a short spoken comment after the keypad questions (Twilio's speech recognition).
    const action = url('comment', { n: s.n, l: s.l });
    const g = twiml.gather({ input: ['speech'], language: SPEECH_LANGUAGE[s.l], speechTimeout: 'auto', maxSpeechTime: 30, timeout: 5, action, method: 'POST', actionOnEmptyResult: true });
    say(g, s.l, COMMENT_PROMPT);
    return twiml.toString();
  }
  return gather(twiml, { n: s.n, l: s.l, q }, q === 0 ? [SURVEY_INTRO, SURVEY_QUESTIONS[0]] : [SURVEY_QUESTIONS[q]], { timeout: 8 });
}

/** POST /twilio/voice: a new call. */
function welcome(): string {
  return mainMenu('sv-SE', 0, [WELCOME]);
}

/** POST /twilio/input: the keys pressed (or none) at a Gather. */
function input(s: State, digits: string): string {
  if (s.q !== undefined) return surveyQuestion(s, digits === '*' ? SURVEY_QUESTIONS.length : s.q + 1);
  const retry = (again: () => string) => ((s.r ?? 0) < MENU_RETRIES ? again() : toOperator(s));
  switch (s.n) {
    case 'main': {
      const department = DEPARTMENTS[digits];
      if (department) {
        const twiml = new VoiceResponse();
        say(twiml, s.l, department.say);
        return transfer(twiml, { n: department.node, l: s.l }, department.node, department.number, 25);
      }
      if (digits === '0') return toOperator(s, null);
      if (digits === '5') return personPrompt(s.l);
      if (digits === '9' && s.l === 'sv-SE') return gather(new VoiceResponse(), { n: 'language', l: s.l }, [LANGUAGE_MENU]);
      return retry(() => mainMenu(s.l, (s.r ?? 0) + 1, digits ? [NOT_AN_OPTION] : []));
    }
    case 'language':
      return mainMenu(digits === '1' ? 'en-GB' : digits === '2' ? 'sv-SE' : s.l, 0);
    case 'person': {
      const number = DIRECTORY[digits];
      if (!number) return retry(() => personPrompt(s.l, (s.r ?? 0) + 1));
      const twiml = new VoiceResponse();
      say(twiml, s.l, CONNECTING_PERSON);
      return transfer(twiml, { n: 'person', l: s.l }, digits, number, 20);
    }
    case 'person_unavailable':
      if (digits === '1') return personPrompt(s.l);
      if (digits === '2') return mainMenu(s.l, 0);
      return toOperator(s, null);
    default:
      return toOperator(s);
  }
}

/** POST /twilio/comment: what the caller said after the survey (or nothing). */
function commentEnded(s: State, speech: string): string {
  const twiml = new VoiceResponse();
  say(twiml, s.l, speech.trim() ? COMMENT_THANKS : SURVEY_THANKS);
  twiml.hangup();
  return twiml.toString();
}

/** POST /twilio/dial: how the transfer ended. */
function dialEnded(s: State, callStatus: string, dialStatus: string): string {
  // The caller hung up while it rang: nothing to say to anyone.
  if (callStatus === 'completed') return new VoiceResponse().toString();
  if (dialStatus === 'completed') return surveyQuestion(s, 0);
  if (s.n === 'person') return gather(new VoiceResponse(), { n: 'person_unavailable', l: s.l }, [PERSON_UNAVAILABLE]);
  return toOperator(s, NO_ANSWER);
}

const app = express();
app.use(express.urlencoded({ extended: false }));

const ivr = express.Router();
const send = (res: Response, twiml: string) => res.type('text/xml').send(twiml);
ivr.post('/voice', (_req, res) => send(res, welcome()));
ivr.post('/input', (req, res) => send(res, input(stateOf(req), String(req.body.Digits ?? ''))));
ivr.post('/comment', (req, res) => send(res, commentEnded(stateOf(req), String(req.body.SpeechResult ?? ''))));
ivr.post('/dial', (req, res) => send(res, dialEnded(stateOf(req), String(req.body.CallStatus ?? ''), String(req.body.DialCallStatus ?? ''))));
// Status callbacks of the child leg and of the call: a sample that persists nothing acknowledges them.
ivr.post('/leg', (_req, res) => send(res, new VoiceResponse().toString()));
ivr.post('/status', (_req, res) => send(res, new VoiceResponse().toString()));
const num = (v: unknown) => Number(v ?? 0) || 0;
ivr.post('/queue-wait', (req, res) => send(res, queueWait(stateOf(req), num(req.body.QueuePosition), num(req.body.QueueTime))));
ivr.post('/queue-key', (req, res) => send(res, queueKey(stateOf(req), String(req.body.Digits ?? ''))));
ivr.post('/queue-result', (req, res) => send(res, queueResult(stateOf(req), String(req.body.CallStatus ?? ''), String(req.body.QueueResult ?? ''), num(req.body.QueueTime))));
ivr.post('/agent', (_req, res) => send(res, agent()));
ivr.post('/queue-bridge', (_req, res) => send(res, bridge()));
ivr.post('/agent-done', (req, res) => send(res, agentDone(String(req.body.CallStatus ?? ''), String(req.body.DialCallStatus ?? ''))));

app.use('/twilio', twilio.webhook(authToken, { protocol: base.protocol.replace(':', ''), host: base.host }), ivr);
app.get('/', (_req, res) => res.type('text/plain').send('Exempelstads kommun – växel (Twilio sample stack)\n'));

const server = app.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
// As callpath and the bare Node server: idle connections kept longer than a proxy in front keeps them.
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
