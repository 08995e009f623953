import { localReturnTo } from '../../src/identity/return-to';

describe('localReturnTo', () => {
  test('a path on this service, with its query and fragment, is kept', () => {
    for (const path of ['/', '/live', '/stats?from=2026-03-01&to=2026-04-01', '/calls/CA123#timeline']) expect(localReturnTo(path)).toBe(path);
  });

  test('anything a browser could take to another site becomes the start page', () => {
    for (const value of ['//evil.example/', '/\\evil.example', '\\\\evil.example', 'https://evil.example/', 'javascript:alert(1)', 'live', '', '/\tevil', '/a\\b', '/x\r\nLocation: //evil']) {
      expect(localReturnTo(value)).toBe('/');
    }
  });

  test('not a string, or very long: the start page', () => {
    expect(localReturnTo(undefined)).toBe('/');
    expect(localReturnTo(['/live'])).toBe('/');
    expect(localReturnTo(`/${'a'.repeat(2000)}`)).toBe('/');
  });
});
