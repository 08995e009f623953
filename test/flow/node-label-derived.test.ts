/**
 * The label derived from what a node says (src/flow/node-label.ts, firstSentence): the first sentence,
 * whole up to 48 characters, else cut at the last word that leaves more than half of them, without a
 * trailing comma, colon or semicolon, and marked with "…".
 */
import { nodeLabel } from '../../src/flow/node-label';
import { flowOf } from './lint/flows';

/** The label of a message node that says `say`. */
const labelOf = (say: string) =>
  nodeLabel(
    flowOf((f) => {
      f.nodes.note = { type: 'message', say, next: 'bye' };
    }),
    'note',
  );

describe('a label from what a node says', () => {
  test('the first sentence: a full stop inside a number does not end it, one before a space does', () => {
    expect(labelOf('Välkommen till kommunen. Tryck 1.')).toBe('Välkommen till kommunen');
    expect(labelOf('Öppet 8.30 till 16 i dag! Tryck 1.')).toBe('Öppet 8.30 till 16 i dag');
  });

  test('text without an end of sentence is kept whole, whitespace made single', () => {
    expect(labelOf('  Välkommen   till\nkommunen  ')).toBe('Välkommen till kommunen');
  });

  test('48 characters are kept whole; 49 are cut', () => {
    const s48 = 'Du har kommit till kommunens växel i Sundsvall12';
    expect(s48).toHaveLength(48);
    expect(labelOf(`${s48}.`)).toBe(s48);
    expect(labelOf(`${s48}3.`)).toBe('Du har kommit till kommunens växel i…');
  });

  test('cut at the last word only when that keeps more than half (24 characters); else cut mid-word', () => {
    // The last space within the first 48 characters is at index 24: exactly half, so the word is cut.
    const atHalf = `${'a'.repeat(24)} ${'b'.repeat(30)}`;
    expect(labelOf(atHalf)).toBe(`${'a'.repeat(24)} ${'b'.repeat(23)}…`);
    // At index 25: more than half, so the cut falls at the word.
    const pastHalf = `${'a'.repeat(25)} ${'b'.repeat(30)}`;
    expect(labelOf(pastHalf)).toBe(`${'a'.repeat(25)}…`);
  });

  test('a cut that ends on a comma, colon or semicolon drops it', () => {
    expect(labelOf('För frågor om skola, förskola och fritidshem, tryck 1 och vänta.')).toBe('För frågor om skola, förskola och fritidshem…');
  });
});

describe('a label from what a node rings', () => {
  const queued = flowOf((f) => {
    f.queues = { vaxeln: { label: 'Växelns kö', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
    f.nodes.q = { type: 'queue', queue: 'vaxeln', onMaxWait: 'bye', onFull: 'bye' };
    f.nodes.bk = { type: 'backup', say: 'Du kopplas till en kollega. Vänta.', onNoAnswer: 'bye' };
    f.nodes.bk2 = { type: 'backup', onNoAnswer: 'bye' };
  });

  test("a queue is named by its queue's label; a queue the flow does not have names nothing", () => {
    expect(nodeLabel(queued, 'q')).toBe('Växelns kö');
    expect(nodeLabel({ ...queued, queues: {} }, 'q')).toBeNull();
  });

  test('a backup node by the first sentence of its words; without words of its own, nothing (the engine names the backup)', () => {
    expect(nodeLabel(queued, 'bk')).toBe('Du kopplas till en kollega');
    expect(nodeLabel(queued, 'bk2')).toBeNull();
  });
});
