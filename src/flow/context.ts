import type { CallEventData } from '../journey/events';
import type { NoticeReason } from '../reception/notice';
import type { Action, Continuation, Handler, Say, Step } from './actions';
import { sayBuiltIn, sayPrompt, voiceFor } from './prompt';
import type { Flow, FlowNode, Prompt, Route } from './schema';
import type { CallState } from './state';
import type { BuiltInTextKey } from './texts';

/** Guards against message nodes that lead to each other forever. */
export const MAX_HOPS_PER_STEP = 25;

export class EngineFault extends Error {}

/** A person's absence notice as the webhook hands it in (reception/ keeps the notices). */
export interface PersonNotice {
  reason: NoticeReason;
  /** ISO time the person is back; null when open-ended. */
  until: string | null;
  /** The sentence said before any ring, in a language: "Anna Lind är på möte till klockan 14." */
  sentence(name: string, language: string): string;
}

/**
 * What the webhook knows beyond the call and hands to a step: the engine reads it and never fetches
 * it, so it stays pure (the same inputs give the same step) and no store is ever waited on.
 */
export interface StepInputs {
  /** The notice that applies now to the person at this number, or null. */
  noticeOf?: (personNumber: string) => PersonNotice | null;
  /** The caller's own number when it can be called back (null: withheld or none); only a callback node reads it. */
  callerNumber?: string | null;
  /** Seals a callback number (AES-GCM with the current CALLBACK_KEYS key): it travels and rests only so. */
  sealNumber?: (number: string) => string;
  /** The municipality's TIME_ZONE: a callback promise's deadline and its words when the flow gives no zone. */
  timeZone?: string;
}

/**
 * The working state of one engine step. Node behaviours append actions and events here and move
 * the call between nodes; nothing in it performs I/O.
 */
export class StepContext {
  readonly actions: Action[] = [];
  readonly events: CallEventData[] = [];
  private hops = 0;
  /** Says queued to be spoken inside the next Gather, so the caller can key through them. */
  private pendingSays: Say[] = [];

  constructor(
    readonly flow: Flow,
    public state: CallState,
    readonly callSid: string,
    private readonly enterNode: (ctx: StepContext, id: string, node: FlowNode) => void,
    /** When the step happens (epoch ms): what an opening-hours node decides by. */
    readonly at?: number,
    readonly inputs: StepInputs = {},
  ) {}

  get language(): string {
    return this.state.l;
  }

  node(id: string): FlowNode {
    const n = this.flow.nodes[id];
    if (!n) throw new EngineFault(`node "${id}" is not in flow ${this.flow.id}@${this.flow.version}`);
    return n;
  }

  record(e: CallEventData): void {
    this.events.push(e);
  }

  /** `fill` may change the words (a placeholder the engine fills in) before they are said. */
  say(prompt: Prompt, fill?: (text: string) => string): void {
    const s = sayPrompt(this.flow, prompt, this.language);
    this.pendingSays.push(fill ? { ...s, text: fill(s.text) } : s);
  }

  /** A sentence made for this call (already in its language), said in the call's voice. */
  sayText(text: string): void {
    this.pendingSays.push({ kind: 'say', text, language: this.language, voice: voiceFor(this.flow, this.language) });
  }

  sayBuiltIn(key: BuiltInTextKey): void {
    this.pendingSays.push(sayBuiltIn(this.flow, key, this.language));
  }

  /** Pending says are spoken inside a Gather (interruptible), or on their own before any other verb. */
  takeSays(): Say[] {
    const s = this.pendingSays;
    this.pendingSays = [];
    return s;
  }

  /** Says still pending are spoken before the action; a Gather has taken the ones it speaks already (ask, listen). */
  emit(action: Action): void {
    this.actions.push(...this.takeSays(), action);
  }

  /** Asks for keys: pending says and the prompt are spoken inside the Gather so the caller can key ahead. */
  ask(opts: { prompt?: Prompt; numDigits: number; timeoutSeconds: number; finishOnKey: string; patch: Partial<CallState> }): void {
    if (opts.prompt) this.say(opts.prompt);
    this.emit({
      kind: 'gather',
      numDigits: opts.numDigits,
      timeoutSeconds: opts.timeoutSeconds,
      finishOnKey: opts.finishOnKey,
      say: this.takeSays(),
      next: this.continuation('input', opts.patch),
    });
  }

  /** Listens for the caller's words in the call's language; pending says are spoken inside the Gather first. */
  listen(opts: { timeoutSeconds: number; maxSpeechSeconds: number; handler: Handler }): void {
    this.emit({
      kind: 'gather',
      input: 'speech',
      language: this.language,
      timeoutSeconds: opts.timeoutSeconds,
      maxSpeechSeconds: opts.maxSpeechSeconds,
      say: this.takeSays(),
      next: this.continuation(opts.handler, {}),
    });
  }

  continuation(handler: Handler, patch: Partial<CallState>): Continuation {
    return { handler, state: { ...this.state, r: 0, t: undefined, q: undefined, x: undefined, c: undefined, b: undefined, z: undefined, ...patch, k: this.state.k + 1 } };
  }

  goTo(id: string): void {
    if (++this.hops > MAX_HOPS_PER_STEP) throw new EngineFault(`more than ${MAX_HOPS_PER_STEP} nodes in one step (a loop of messages?) at "${id}"`);
    const node = this.node(id);
    this.state = { ...this.state, n: id, r: 0, t: undefined, q: undefined, x: undefined, b: undefined, z: undefined };
    this.record({ type: 'node.entered', nodeId: id, nodeType: node.type, ...(categoryOf(node) ? { category: categoryOf(node) } : {}) });
    this.enterNode(this, id, node);
  }

  /** The person (extension) or target the caller now seeks: kept in the state for a later backup node. */
  seek(id: string): void {
    this.state = { ...this.state, p: id };
  }

  follow(route: Route): void {
    if (typeof route === 'string') return this.goTo(route);
    if (route.say) this.say(route.say);
    this.goTo(route.next);
  }

  hangup(): void {
    this.emit({ kind: 'hangup' });
  }

  finish(): Step {
    const trailing = this.takeSays();
    return { actions: [...this.actions, ...trailing], events: this.events };
  }
}

function categoryOf(node: FlowNode): string | undefined {
  return 'category' in node ? node.category : undefined;
}
