import fs from 'node:fs';
import path from 'node:path';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store';
import { tempDir } from '../helpers/harness';
import { callEvents, runStoreContract, sid } from './store-contract';

let dir = '';
runStoreContract({
  name: 'embedded',
  async open() {
    dir = tempDir('callpath-store-');
    return EmbeddedStore.open(dir);
  },
  async reopen(previous) {
    await previous.close();
    return EmbeddedStore.open(dir);
  },
  async cleanup() {
    fs.rmSync(dir, { recursive: true, force: true });
  },
});

describe('embedded store files', () => {
  test('a torn last line (power cut mid-write) is skipped, everything before it kept', async () => {
    const d = tempDir('callpath-store-');
    const s = EmbeddedStore.open(d);
    const callSid = sid();
    await s.appendEvents(callEvents(callSid, Date.parse('2026-03-02T08:00:00Z')));
    await s.close();
    fs.appendFileSync(path.join(d, 'events.jsonl'), '{"id":"torn","callSid":"CA');
    const again = EmbeddedStore.open(d);
    expect(await again.eventsForCall(callSid)).toHaveLength(5);
  });
});
