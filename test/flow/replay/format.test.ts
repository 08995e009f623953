/**
 * formatReplay (src/flow/replay/format.ts): the replay as printed for people, line by line: the title,
 * the caller model, the table per intent (widths, missing figures, rounding), the paths with what
 * could not be estimated, the totals with their signed differences, and the calls not replayed.
 */
import { formatReplay } from '../../../src/flow/replay/format';
import { DEFAULT_CALLER_MODEL } from '../../../src/flow/replay/model';
import type { IntentGroup, ReplayReport } from '../../../src/flow/replay/replay';

const MODEL_LINES = [
  'Caller model (an estimate, not a measurement):',
  '  A caller hears every prompt to its end (60 ms per character of text), then answers after 1500 ms.',
  '  They take the path with the fewest key presses, then the shortest time; they never let retries run out.',
  '  A transfer that must go unanswered rings for its timeout (no-answer) or not at all (busy, failed).',
  '  Menu time is time in the IVR before the final transfer starts; what is said on the way into a transfer counts with that',
  '  transfer, as Twilio says it after the dial has begun. Ringing counts only for transfers nobody answered.',
];

const zero = { keys: 0, menuMs: 0, ringMs: 0 };

/** A report without groups: one call, no totals, nothing skipped. */
const empty: ReplayReport = {
  candidate: { id: 'f', version: 'v1', source: 'f.yaml' },
  model: DEFAULT_CALLER_MODEL,
  calls: 1,
  replayed: [],
  groups: [],
  skipped: {},
  totals: { calls: 0, actual: zero, before: zero, after: zero },
};

const skola: IntentGroup = {
  label: 'department skola',
  calls: 2,
  actual: { keys: 1, menuMs: 16_620, ringMs: 0 },
  before: { keys: 1, menuMs: 16_620, ringMs: 0 },
  after: { keys: 1, menuMs: 12_340, ringMs: 0 },
  beforePath: ['main [1]', 'ring skola'],
  afterPath: ['main [1]', 'ring skola'],
  notInCandidate: 0,
  versionUnknown: 0,
};
/** The longest label (34 characters) sets the width of the first column. */
const person: IntentGroup = {
  label: 'person 4711 (no-answer) → operator',
  calls: 1,
  actual: { keys: 6, menuMs: 28_560, ringMs: 20_840 },
  before: null,
  after: null,
  beforePath: null,
  afterPath: null,
  notInCandidate: 1,
  versionUnknown: 1,
};
const x: IntentGroup = {
  label: 'x',
  calls: 12,
  actual: null,
  before: { keys: 2.5, menuMs: 3060, ringMs: 160 },
  after: null,
  beforePath: null,
  afterPath: null,
  notInCandidate: 12,
  versionUnknown: 2,
};

const full: ReplayReport = {
  candidate: { id: 'vaxel', version: 'abc123def456', source: 'vaxel-new.yaml' },
  model: DEFAULT_CALLER_MODEL,
  calls: 5,
  replayed: [],
  groups: [skola, person, x],
  skipped: { 'hung up in the menu': 1, 'another flow (x)': 2 },
  totals: {
    calls: 3,
    actual: { keys: 8, menuMs: 45_180, ringMs: 20_840 },
    before: { keys: 8, menuMs: 45_180, ringMs: 20_840 },
    after: { keys: 7, menuMs: 36_600, ringMs: 41_680 },
  },
};

describe('formatReplay', () => {
  test('a report without calls to replay: title (one call), caller model, "No call to replay.", totals over 0 calls without change', () => {
    expect(formatReplay(empty)).toBe(
      [
        'Replay of 1 recorded call against f.yaml (f@v1)',
        '',
        ...MODEL_LINES,
        '',
        'No call to replay.',
        '',
        'Totals over the 0 calls with all three figures:',
        '  key presses  actual 0  before 0 → after 0  (no change)',
        '  menu time    actual 0.0 s  before 0.0 s → after 0.0 s  (no change)',
        '  ringing      actual 0.0 s  before 0.0 s → after 0.0 s  (no change)',
        '',
      ].join('\n'),
    );
  });

  test('a title given replaces the default one', () => {
    expect(formatReplay(empty, { title: 'Replay for the board' }).split('\n')[0]).toBe('Replay for the board');
  });

  test('the whole report: the table, the paths with their notes, the totals and the calls not replayed', () => {
    expect(formatReplay(full)).toBe(
      [
        'Replay of 5 recorded calls against vaxel-new.yaml (vaxel@abc123def456)',
        '',
        ...MODEL_LINES,
        '',
        'intent                              calls  |  keys: actual  before → after  |  menu s: actual  before → after  |  ringing s: before → after',
        'department skola                        2  |           1.0    1.0 →   1.0  |            16.6    16.6 →   12.3  |                0.0 →    0.0',
        'person 4711 (no-answer) → operator      1  |           6.0      – →     –  |            28.6       – →      –  |                  – →      –',
        'x                                      12  |             –    2.5 →     –  |               –     3.1 →      –  |                0.2 →      –',
        '',
        'Paths (cheapest; before on the version the calls were made on → after on the candidate):',
        '  department skola',
        '    before: main [1] → ring skola',
        '    after:  main [1] → ring skola',
        '  person 4711 (no-answer) → operator',
        '    before: flow version not available',
        '    after:  not possible in the candidate',
        '    (1 call the candidate cannot serve this way; 1 call on a flow version not available)',
        '  x',
        '    before: not possible',
        '    after:  not possible in the candidate',
        '    (12 calls the candidate cannot serve this way; 2 calls on a flow version not available)',
        '',
        'Totals over the 3 calls with all three figures:',
        '  key presses  actual 8  before 8 → after 7  (−1)',
        '  menu time    actual 45.2 s  before 45.2 s → after 36.6 s  (−8.6 s)',
        '  ringing      actual 20.8 s  before 20.8 s → after 41.7 s  (+20.8 s)',
        'Not replayed: 1 hung up in the menu, 2 another flow (x)',
        '',
      ].join('\n'),
    );
  });

  test('short labels: the first column is at least as wide as its heading', () => {
    const lines = formatReplay({ ...empty, groups: [{ ...skola, label: 'ab' }] }).split('\n');
    expect(lines.slice(9, 11)).toEqual([
      'intent  calls  |  keys: actual  before → after  |  menu s: actual  before → after  |  ringing s: before → after',
      'ab          2  |           1.0    1.0 →   1.0  |            16.6    16.6 →   12.3  |                0.0 →    0.0',
    ]);
  });

  test('one note alone, singular: only cannot serve, or only version not available', () => {
    const notes = (g: Partial<IntentGroup>) => formatReplay({ ...empty, groups: [{ ...skola, ...g }] }).split('\n')[16];
    expect(notes({ notInCandidate: 1 })).toBe('    (1 call the candidate cannot serve this way)');
    expect(notes({ versionUnknown: 1 })).toBe('    (1 call on a flow version not available)');
  });

  test('no path before, though only some of the calls were on an unknown version: "not possible", with the note', () => {
    const lines = formatReplay({ ...empty, groups: [{ ...skola, beforePath: null, versionUnknown: 1 }] }).split('\n');
    expect(lines.slice(13, 17)).toEqual(['  department skola', '    before: not possible', '    after:  main [1] → ring skola', '    (1 call on a flow version not available)']);
  });

  test('totals over one call, more keys and time after: signed with a plus; less ringing with a minus', () => {
    const lines = formatReplay({
      ...empty,
      totals: { calls: 1, actual: zero, before: { keys: 2, menuMs: 1000, ringMs: 5000 }, after: { keys: 4, menuMs: 1100, ringMs: 4900 } },
    }).split('\n');
    expect(lines.slice(11)).toEqual([
      'Totals over the 1 call with all three figures:',
      '  key presses  actual 0  before 2 → after 4  (+2)',
      '  menu time    actual 0.0 s  before 1.0 s → after 1.1 s  (+0.1 s)',
      '  ringing      actual 0.0 s  before 5.0 s → after 4.9 s  (−0.1 s)',
      '',
    ]);
  });

  test('one skip reason alone', () => {
    expect(formatReplay({ ...empty, skipped: { 'in progress': 3 } }).split('\n').slice(-2)).toEqual(['Not replayed: 3 in progress', '']);
  });
});
