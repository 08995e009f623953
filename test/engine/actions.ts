import type { Action, Dial, Gather } from '../../src/flow/actions';

/** The step's Gather (the engine answers with at most one). */
export const gatherOf = (actions: Action[]): Gather => actions.find((a): a is Gather => a.kind === 'gather')!;

/** The step's Dial, if it rings anyone. */
export const dialOf = (actions: Action[]): Dial | undefined => actions.find((a): a is Dial => a.kind === 'dial');

/** Everything the caller hears in the step, in order: its Says and the Gather's prompts. */
export const spokenTexts = (actions: Action[]): string[] => actions.flatMap((a) => (a.kind === 'say' ? [a.text] : a.kind === 'gather' ? a.say.map((s) => s.text) : []));
