import { Deadlines } from '../../src/live/deadlines';

/** A small deterministic generator (Park–Miller, exact in doubles), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
}

describe('deadlines (the live view\'s expiry index)', () => {
  test('gives entries back earliest first, through pushes, pops and a rebuild', () => {
    const next = random(8);
    const d = new Deadlines();
    const model: [number, string][] = [];
    const popBoth = () => {
      model.sort((a, b) => a[0] - b[0]);
      const want = model.shift();
      const got = d.pop();
      expect(got?.at).toBe(want?.[0]);
    };
    for (let i = 0; i < 2000; i++) {
      const r = next();
      if (r < 0.55) {
        const at = Math.floor(next() * 500);
        d.push(at, `k${i}`);
        model.push([at, `k${i}`]);
      } else if (r < 0.98) popBoth();
      else d.reset(model);
      expect(d.size).toBe(model.length);
      expect(d.peek()).toBe(model.length ? Math.min(...model.map((m) => m[0])) : Infinity);
    }
    while (model.length) popBoth();
    expect(d.pop()).toBeUndefined();
  });

  test('an entry comes back with its own key', () => {
    const d = new Deadlines();
    d.reset([
      [30, 'c'],
      [10, 'a'],
      [20, 'b'],
    ]);
    d.push(5, 'z');
    expect([d.pop(), d.pop(), d.pop(), d.pop()].map((e) => e?.key)).toEqual(['z', 'a', 'b', 'c']);
  });
});
