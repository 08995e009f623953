import { NoticeBoard } from '../../src/reception/notice-board';
import type { Notice } from '../../src/reception/notice';

/** A store of notices whose list can be held back, to see a reload overlap a change. */
function fakeStore() {
  const rows = new Map<string, Notice>();
  let hold: Promise<void> | null = null;
  return {
    rows,
    holdLists(until: Promise<void>) {
      hold = until;
    },
    async putNotice(n: Notice) {
      rows.set(n.person, n);
    },
    async deleteNotice(p: string) {
      return rows.delete(p);
    },
    async listNotices() {
      const snapshot = [...rows.values()];
      if (hold) await hold;
      return snapshot;
    },
  };
}

const NOW = Date.parse('2026-03-02T08:00:00Z');
const notice = (person: string, reason: Notice['reason'], until: string | null, setBy = 'user:reception@kommun.se'): Notice => ({ person, reason, until, setBy, setAt: '2026-03-02T07:00:00.000Z' });

describe('the notice board', () => {
  test('answers from memory what the store held at its load, by any spelling of the number', async () => {
    const store = fakeStore();
    store.rows.set('+46101304711', notice('+46101304711', 'meeting', '2026-03-02T13:00:00.000Z'));
    const board = new NoticeBoard(store, 'Europe/Stockholm');
    expect(board.current('+46101304711', NOW)).toBeNull();
    await board.load();
    expect(board.current('+46 10 130 47 11', NOW)?.reason).toBe('meeting');
    expect(board.forCall('+46101304711', NOW)?.sentence('Anna Lind', 'sv-SE')).toBe('Anna Lind är på möte till klockan 14.');
    // Another instance cleared it in the shared store: the next reload says so.
    store.rows.clear();
    await board.load();
    expect(board.current('+46101304711', NOW)).toBeNull();
  });

  test('a reload that read the store before a change made here does not undo it', async () => {
    const store = fakeStore();
    const board = new NoticeBoard(store, 'Europe/Stockholm');
    let release!: () => void;
    store.holdLists(new Promise<void>((r) => (release = r)));
    const reload = board.load();
    await board.set(notice('+46101304711', 'sick', null));
    release();
    await reload;
    expect(board.current('+46101304711', NOW)?.reason).toBe('sick');
  });

  test('a notice set by hand wins over the calendar; the calendar applies where none is set; past notices are left out', async () => {
    const board = new NoticeBoard(fakeStore(), 'Europe/Stockholm');
    board.setFromCalendar('+46101304711', notice('+46101304711', 'meeting', '2026-03-02T09:00:00.000Z', 'calendar'));
    expect(board.current('+46101304711', NOW)?.setBy).toBe('calendar');
    await board.set(notice('+46101304711', 'leave', null));
    expect(board.current('+46101304711', NOW)?.reason).toBe('leave');
    await board.set(notice('+46101304712', 'meeting', '2026-03-02T07:59:00.000Z'));
    expect(board.list(NOW).map((n) => n.person)).toEqual(['+46101304711']);
    expect(await board.clear('+46101304711')).toBe(true);
    expect(board.current('+46101304711', NOW)?.setBy).toBe('calendar');
  });
});
