import {
  categoryDim,
  fallbackAtDim,
  fallbackDim,
  fallbackRescueDim,
  localHourDim,
  nodeDim,
  noticeDim,
  parseFallbackAtDim,
  parseFallbackDim,
  parseFallbackRescueDim,
  parseSoughtDim,
  repeatDim,
  ringOutDim,
  soughtDim,
  weekdayDim,
  DIM_CALL,
  DIM_RANG_OUT,
  DIM_WITH_FALLBACK,
  DIM_WITH_NOTICE,
} from '../../src/metrics/dims';

/**
 * Dimension names are stored data: the rollups on disk and in MongoDB are keyed by them, so a changed
 * name would split a month's figures in two until a rebuild. These pin every name as written.
 */
describe('rollup dimension names', () => {
  test('each dimension is written as documented in dims.ts', () => {
    expect([DIM_CALL, DIM_WITH_FALLBACK, DIM_WITH_NOTICE, DIM_RANG_OUT]).toEqual(['call', 'withFallback', 'withNotice', 'rangOut']);
    expect(fallbackDim({ nodeId: 'person_dial', target: '4711', reason: 'no-answer', route: 'operator' })).toBe('fallback:person_dial|4711|no-answer|operator');
    expect(fallbackAtDim('person_dial', 'busy')).toBe('fallbackAt:person_dial|busy');
    expect(fallbackRescueDim('person_dial', 'busy', 'backup')).toBe('fallbackRescue:person_dial|busy|backup');
    expect(nodeDim('main')).toBe('node:main');
    expect(categoryDim('bygglov')).toBe('category:bygglov');
    expect(categoryDim(null)).toBe('category:');
    expect(localHourDim(8)).toBe('localHour:8');
    expect(weekdayDim(7)).toBe('weekday:7');
    expect(noticeDim('person_dial', '4711', 'meeting')).toBe('notice:person_dial|4711|meeting');
    expect(ringOutDim('person_dial', '4711')).toBe('ringOut:person_dial|4711');
    const sought = { targetKind: 'person', target: '4711', firstFallback: { reason: 'no-answer' as const, route: 'operator' } };
    expect(soughtDim(sought)).toBe('sought:person|4711|no-answer|operator');
    expect(repeatDim(sought)).toBe('repeat:person|4711|no-answer|operator');
    expect(soughtDim({ ...sought, firstFallback: null })).toBe('sought:person|4711|none|-');
  });

  test('each parser reads back what its builder wrote, and nothing else', () => {
    const key = { nodeId: 'person_dial', target: '4711', reason: 'no-answer' as const, route: 'operator' };
    expect(parseFallbackDim(fallbackDim(key))).toEqual(key);
    expect(parseFallbackDim('fallback:person_dial|4711|no-answer')).toBeNull();
    expect(parseFallbackDim(fallbackAtDim('person_dial', 'busy'))).toBeNull();

    expect(parseFallbackAtDim(fallbackAtDim('person_dial', 'busy'))).toEqual({ nodeId: 'person_dial', reason: 'busy' });
    expect(parseFallbackAtDim('fallbackAt:person_dial')).toBeNull();
    expect(parseFallbackAtDim(fallbackDim(key))).toBeNull();

    expect(parseFallbackRescueDim(fallbackRescueDim('person_dial', 'busy', 'operator'))).toEqual({ nodeId: 'person_dial', reason: 'busy', rescue: 'operator' });
    expect(parseFallbackRescueDim('fallbackRescue:person_dial|busy')).toBeNull();
    expect(parseFallbackRescueDim(fallbackAtDim('person_dial', 'busy'))).toBeNull();
    expect(parseFallbackRescueDim('x' + fallbackRescueDim('person_dial', 'busy', 'operator'))).toBeNull();

    const sought = { targetKind: 'department', target: 'bygglov', firstFallback: { reason: 'busy' as const, route: 'voicemail' } };
    expect(parseSoughtDim(soughtDim(sought))).toEqual({ kind: 'sought', ...sought });
    expect(parseSoughtDim(repeatDim(sought))).toEqual({ kind: 'repeat', ...sought });
    expect(parseSoughtDim(repeatDim({ ...sought, firstFallback: null }))).toEqual({ kind: 'repeat', ...sought, firstFallback: null });
    expect(parseSoughtDim('sought:department|bygglov|busy')).toBeNull();
    expect(parseSoughtDim('x' + soughtDim(sought))).toBeNull();
    expect(parseSoughtDim(nodeDim('main'))).toBeNull();
  });
});
