import { createHash } from 'node:crypto';
import type { StepContext } from '../context';
import type { SurveyConfig } from '../schema';
import { SURVEY_SCALES } from '../texts';

/**
 * Sampling must give the same answer for the same call on every instance and every retry of a
 * webhook, so it hashes the CallSid instead of drawing a random number.
 */
export function sampledIn(callSid: string, share: number): boolean {
  const h = createHash('sha256').update(callSid).digest().readUInt32BE(0);
  return h / 0x1_0000_0000 < share;
}

function offered(offer: SurveyConfig['offer'], callSid: string): boolean | 'sampled-out' {
  if (offer === 'always') return true;
  if (offer === 'never') return false;
  return sampledIn(callSid, offer.sample) || 'sampled-out';
}

function goodbye(ctx: StepContext): void {
  ctx.sayBuiltIn('goodbye');
  ctx.record({ type: 'ivr.hangup', nodeId: ctx.state.n });
  ctx.hangup();
}

function askQuestion(ctx: StepContext, q: number, attempt: number): void {
  const { survey } = ctx.flow;
  ctx.sayBuiltIn(survey.questions[q]);
  ctx.ask({ numDigits: 1, timeoutSeconds: survey.timeoutSeconds, finishOnKey: '', patch: { q, x: attempt } });
}

function nextQuestion(ctx: StepContext, q: number): void {
  if (q + 1 < ctx.flow.survey.questions.length) return askQuestion(ctx, q + 1, 0);
  // The keypad questions are complete whether or not a comment follows: the SKR figures count them alone.
  ctx.record({ type: 'survey.completed' });
  const { comment } = ctx.flow.survey;
  if (comment.enabled) {
    ctx.sayBuiltIn('comment');
    return ctx.listen({ timeoutSeconds: comment.timeoutSeconds, maxSpeechSeconds: comment.maxSeconds, handler: 'comment' });
  }
  endSurvey(ctx, 'thanks');
}

function endSurvey(ctx: StepContext, words: 'thanks' | 'commentThanks'): void {
  ctx.sayBuiltIn(words);
  // The IVR ends the call here; recorded so the journey is complete even if the status callback is lost.
  ctx.record({ type: 'ivr.hangup', nodeId: ctx.state.n });
  ctx.hangup();
}

/** A comment longer than this is cut: Twilio's 60 s of speech are well under it, so only a forged request meets it. */
export const MAX_COMMENT_CHARS = 2000;

export interface SpokenComment {
  /** The recogniser's words (Twilio's SpeechResult); '' when the caller said nothing or it timed out. */
  text: string;
  /** 0–1, as the recogniser gives it; null when it gave none. */
  confidence: number | null;
}

/**
 * The comment's Gather ended. The words go into the event only to travel to the comments store
 * (see journey/events.ts); the journey and the stored event keep their length and confidence.
 */
export function surveyComment(ctx: StepContext, spoken: SpokenComment): void {
  const text = spoken.text.trim().slice(0, MAX_COMMENT_CHARS);
  if (!text) {
    ctx.record({ type: 'survey.comment', chars: 0, confidence: null, language: ctx.language });
    return endSurvey(ctx, 'thanks');
  }
  ctx.record({ type: 'survey.comment', chars: text.length, confidence: spoken.confidence, language: ctx.language, text });
  endSurvey(ctx, 'commentThanks');
}

/** After a conversation with a human, while the caller is still on the line. */
export function afterConversation(ctx: StepContext): void {
  const decision = offered(ctx.flow.survey.offer, ctx.callSid);
  if (decision !== true) {
    ctx.record({ type: 'survey.declined', reason: decision === false ? 'disabled' : 'sampled-out' });
    return goodbye(ctx);
  }
  ctx.record({ type: 'survey.offered', questions: ctx.flow.survey.questions });
  if (ctx.flow.survey.consent === 'opt-in') {
    ctx.sayBuiltIn('consent');
    return ctx.ask({ numDigits: 1, timeoutSeconds: ctx.flow.survey.timeoutSeconds, finishOnKey: '', patch: { c: 1 } });
  }
  ctx.sayBuiltIn('intro');
  askQuestion(ctx, 0, 0);
}

function optedOut(ctx: StepContext): void {
  ctx.record({ type: 'survey.declined', reason: 'opted-out' });
  goodbye(ctx);
}

/** An answer to question state.q: a valid key is recorded; a wrong key is asked once more; silence skips. */
export function surveyInput(ctx: StepContext, digits: string): void {
  if (ctx.state.c === 1) {
    if (digits !== '1') return optedOut(ctx);
    ctx.sayBuiltIn('introAfterConsent');
    return askQuestion(ctx, 0, 0);
  }
  if (digits === '*') return optedOut(ctx);
  const q = ctx.state.q ?? 0;
  const question = ctx.flow.survey.questions[q];
  if (!question) return goodbye(ctx);
  const value = Number(digits);
  if (digits.length === 1 && SURVEY_SCALES[question].includes(value)) {
    ctx.record({ type: 'survey.answer', question, value });
    return nextQuestion(ctx, q);
  }
  if (digits === '') {
    ctx.record({ type: 'survey.skipped', question, reason: 'no-input' });
    return nextQuestion(ctx, q);
  }
  ctx.record({ type: 'survey.invalid', question, digits });
  if ((ctx.state.x ?? 0) < 1) {
    ctx.sayBuiltIn('surveyInvalid');
    return askQuestion(ctx, q, 1);
  }
  ctx.record({ type: 'survey.skipped', question, reason: 'invalid' });
  nextQuestion(ctx, q);
}

export const surveyNode = {
  enter(ctx: StepContext): void {
    afterConversation(ctx);
  },
};
