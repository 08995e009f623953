/**
 * renderMermaid (src/flow/render/mermaid.ts), the text in labels: prompt excerpts cut to a length (kept
 * whole at exactly that length, cut with "…" one past it), whitespace flattened, the language of the
 * excerpts, Mermaid's markup characters escaped, and node ids made safe.
 */
import { renderMermaid, type MermaidOptions } from '../../../src/flow/render/mermaid';
import { parseFlow } from '../../../src/flow/loader';
import { flowOf } from '../lint/flows';

/** The label line of a flow whose one node is a message saying `say`, with id `id`. */
const messageLine = (say: string, opts: MermaidOptions = {}, id = 'hi'): string => {
  const flow = parseFlow(JSON.stringify({ id: 't', name: 't', targets: {}, start: id, nodes: { [id]: { type: 'message', say } } }), 't.json');
  return renderMermaid(flow, opts).split('\n')[2];
};

describe('renderMermaid: prompt excerpts', () => {
  test('60 characters by default: exactly 60 kept whole', () => {
    const text = 'a'.repeat(59) + 'b';
    expect(messageLine(text)).toBe(`  n0_hi("message: hi<br/>${text}")`);
  });

  test('61 characters: the first 59 and "…", 60 in all', () => {
    expect(messageLine('a'.repeat(59) + 'bc')).toBe(`  n0_hi("message: hi<br/>${'a'.repeat(59)}…")`);
  });

  test('a length given: kept whole at that length, cut one past it', () => {
    expect(messageLine('abcdefghij', { excerptLength: 10 })).toBe('  n0_hi("message: hi<br/>abcdefghij")');
    expect(messageLine('abcdefghijk', { excerptLength: 10 })).toBe('  n0_hi("message: hi<br/>abcdefghi…")');
  });

  test('whitespace runs become one space, the ends are trimmed, and a cut does not end in a space', () => {
    expect(messageLine('  Hej \n\n och\tvälkommen  ')).toBe('  n0_hi("message: hi<br/>Hej och välkommen")');
    expect(messageLine('abcd efgh', { excerptLength: 6 })).toBe('  n0_hi("message: hi<br/>abcd…")');
  });

  test('the flattened text is what is measured: spaces collapsed make it fit', () => {
    expect(messageLine('abcd      efgh', { excerptLength: 9 })).toBe('  n0_hi("message: hi<br/>abcd efgh")');
  });
});

describe('renderMermaid: the language of the excerpts', () => {
  const flow = flowOf((f) => {
    f.languages = { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } };
    f.nodes.main.prompt = { 'sv-SE': 'Tryck 1 för skola.', 'en-GB': 'Press 1 for school.' };
  });
  const lines = (opts?: MermaidOptions) => renderMermaid(flow, opts).split('\n').slice(2, 6);

  test('the flow default language when none is given', () => {
    expect(lines()[0]).toBe('  n0_main{{"menu: main<br/>Tryck 1 för skola."}}');
  });

  test('the language given; a prompt without it in the default language', () => {
    expect([lines({ language: 'en-GB' })[0], lines({ language: 'en-GB' })[3]]).toEqual(['  n0_main{{"menu: main<br/>Press 1 for school."}}', '  n3_bye(["hangup: bye<br/>Hej då."])']);
  });
});

describe('renderMermaid: markup characters and ids', () => {
  test('quotes and angle brackets become entity codes', () => {
    expect(messageLine('Tryck "1" för <b>skola</b> > <i>annat</i>')).toBe('  n0_hi("message: hi<br/>Tryck #quot;1#quot; för #lt;b#gt;skola#lt;/b#gt; #gt; #lt;i#gt;annat#lt;/i#gt;")');
  });

  test('every dash of a node id becomes an underscore in the Mermaid id; the id itself is kept in the label', () => {
    expect(messageLine('Hej.', {}, 'a-b-c')).toBe('  n0_a_b_c("message: a-b-c<br/>Hej.")');
  });
});
