import { seededRandom } from './random';

/**
 * What seeded callers say when the survey asks for a comment: the kinds of things residents write in
 * SKR's free-text answers, by how the call went. Made up; no names, numbers or cases of real people.
 */
const SWEDISH = {
  good: [
    'Mycket trevligt bemötande, jag fick hjälp direkt.',
    'Snabbt och smidigt, tack så mycket.',
    'Personen jag pratade med var kunnig och vänlig.',
    'Bra att man kommer fram till växeln så fort.',
  ],
  mixed: [
    'Det gick bra till slut men menyn var lite krånglig.',
    'Jag fick svar men fick vänta ganska länge.',
    'Trevlig personal, men det var svårt att hitta rätt val i menyn.',
  ],
  bad: [
    'Den jag sökte svarade inte och jag fick börja om från början.',
    'Jag fick trycka alldeles för många knappar innan jag kom fram.',
    'Det tog lång tid att komma tillbaka till växeln.',
    'Jag har ringt flera gånger om samma sak utan att få svar.',
    'Det borde finnas en ersättare när handläggaren är borta.',
  ],
};

const ENGLISH = {
  good: ['Very helpful, thank you.', 'Quick and friendly service.'],
  mixed: ['I got an answer in the end, but the menu was confusing.'],
  bad: ['Nobody answered and I had to start again.', 'It took a long time to get back to the switchboard.'],
};

/** A share of the callers who answered the survey leave a comment; the unhappy ones a little more often. */
const COMMENT_SHARE = 0.15;

/**
 * The comment a seeded caller leaves, or null (they hang up when asked). Drawn from its own generator,
 * seeded by the caller's number, so that adding comments left every other draw of the demo's traffic,
 * and so its figures, as they were.
 */
export function seededComment(from: string, enkelhet: number, english: boolean): string | null {
  let h = 2166136261;
  for (let i = 0; i < from.length; i++) h = Math.imul(h ^ from.charCodeAt(i), 16777619);
  const r = seededRandom(h);
  if (r() >= COMMENT_SHARE * (enkelhet <= 2 ? 1.4 : 1)) return null;
  const words = english ? ENGLISH : SWEDISH;
  const list = enkelhet <= 2 ? words.bad : enkelhet === 3 ? words.mixed : words.good;
  return list[Math.floor(r() * list.length)];
}
