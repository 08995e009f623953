import type { StepContext } from '../context';
import type { LanguageNode } from '../schema';

export const language = {
  enter(ctx: StepContext, node: LanguageNode): void {
    ctx.ask({ prompt: node.prompt, numDigits: 1, timeoutSeconds: node.timeoutSeconds, finishOnKey: '', patch: {} });
  },

  /** A wrong key or silence keeps the current language: asking again would only delay the caller. */
  input(ctx: StepContext, node: LanguageNode, digits: string): void {
    const nodeId = ctx.state.n;
    const chosen = node.options[digits];
    if (chosen) {
      ctx.record({ type: 'input.digits', nodeId, digits, purpose: 'language' });
      ctx.record({ type: 'language.chosen', nodeId, language: chosen });
      ctx.state = { ...ctx.state, l: chosen };
    } else {
      ctx.record(digits === '' ? { type: 'input.timeout', nodeId } : { type: 'input.invalid', nodeId, digits });
    }
    ctx.goTo(node.next);
  },
};
