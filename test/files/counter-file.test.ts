import fs from 'node:fs';
import path from 'node:path';
import { CounterFile } from '../../src/files/counter-file';
import { tempDir } from '../helpers/harness';

describe('counter file', () => {
  test('a missing or unreadable file reads as 0', () => {
    const dir = tempDir('callpath-counter-');
    expect(new CounterFile(path.join(dir, 'missing'), 'acked').read()).toBe(0);
    fs.writeFileSync(path.join(dir, 'bad'), '{"acked":');
    expect(new CounterFile(path.join(dir, 'bad'), 'acked').read()).toBe(0);
  });

  test('each write replaces the previous count in place, shorter or longer', () => {
    const p = path.join(tempDir('callpath-counter-'), 'c');
    const c = new CounterFile(p, 'acked');
    for (const n of [5, 123_456_789, 0, 42]) {
      c.write(n);
      expect(new CounterFile(p, 'acked').read()).toBe(n);
    }
    c.close();
    expect(JSON.parse(fs.readFileSync(p, 'utf8'))).toEqual({ acked: 42 });
  });

  test('reads and then replaces the unpadded record earlier versions wrote, even a longer one', () => {
    const p = path.join(tempDir('callpath-counter-'), 'c');
    fs.writeFileSync(p, JSON.stringify({ acked: 9_007_199_254_740_991 }).padEnd(48));
    const c = new CounterFile(p, 'acked');
    expect(c.read()).toBe(9_007_199_254_740_991);
    c.write(7);
    c.close();
    expect(new CounterFile(p, 'acked').read()).toBe(7);
  });
});
