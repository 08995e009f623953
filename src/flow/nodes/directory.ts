import { EngineFault, type StepContext } from '../context';
import type { DirectoryNode } from '../schema';
import { dial, dialFinished, noticeInsteadOfRing, type DialResult, type DialTarget } from './dial';
import { isOperatorKey, retryOrGiveUp } from './retry';

function personTarget(ctx: StepContext, extension: string): DialTarget {
  const p = ctx.flow.directory[extension];
  if (!p) throw new EngineFault(`unknown extension "${extension}"`);
  return { id: extension, kind: 'person', number: p.number, category: p.category };
}

function ask(ctx: StepContext, node: DirectoryNode, retry: number): void {
  ctx.ask({ prompt: node.prompt, numDigits: node.digits, timeoutSeconds: node.timeoutSeconds, finishOnKey: '#', patch: { r: retry } });
}

export const directory = {
  enter(ctx: StepContext, node: DirectoryNode): void {
    ask(ctx, node, 0);
  },

  input(ctx: StepContext, node: DirectoryNode, digits: string): void {
    const nodeId = ctx.state.n;
    if (ctx.flow.directory[digits]) {
      ctx.record({ type: 'input.digits', nodeId, digits, purpose: 'directory' });
      const target = personTarget(ctx, digits);
      if (noticeInsteadOfRing(ctx, target, ctx.flow.directory[digits].name, node)) return;
      node.connectingPrompt ? ctx.say(node.connectingPrompt) : ctx.sayBuiltIn('connecting');
      return dial(ctx, target, node.ringSeconds);
    }
    if (isOperatorKey(ctx, digits)) {
      ctx.record({ type: 'input.digits', nodeId, digits, purpose: 'directory' });
      return ctx.goTo(ctx.flow.operator!.node);
    }
    ctx.record(digits === '' ? { type: 'input.timeout', nodeId } : { type: 'input.invalid', nodeId, digits });
    retryOrGiveUp(ctx, {
      maxRetries: node.maxRetries,
      onExhausted: node.onExhausted,
      explain: () => {
        if (digits === '') ctx.sayBuiltIn('noInput');
        else node.invalidPrompt ? ctx.say(node.invalidPrompt) : ctx.sayBuiltIn('unknownExtension');
      },
      ask: (retry) => ask(ctx, node, retry),
    });
  },

  dialResult(ctx: StepContext, node: DirectoryNode, result: DialResult): void {
    dialFinished(ctx, personTarget(ctx, ctx.state.t ?? ''), node, result);
  },
};
