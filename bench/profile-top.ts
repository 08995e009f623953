/**
 * Summarises a V8 CPU profile (from `npm run bench -- --profile`): where the server spent its time,
 * by package or source folder and by function (self time), and callpath's own functions including
 * what they call (inclusive time).
 *
 *   node dist/bench/profile-top.js bench/profiles/callpath-embedded.cpuprofile [N]
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function owner(url: string): string {
  if (!url) return '(native / V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return url;
  const m = /\/dist\/(src\/[^/]+(?:\/[^/]+)?)/.exec(url);
  return m ? m[1] : url;
}

function main(): void {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 25);
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, t] of self) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') continue;
    const where = owner(f.url);
    const key = `${f.functionName || '(anonymous)'}  ${where}:${f.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + t);
    pkg.set(where, (pkg.get(where) ?? 0) + t);
  }
  const busy = total - idle;
  // Inclusive time of callpath's own functions: each sample counts once for every distinct one on its stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!/\/dist\/src\//.test(f.url)) continue;
      const key = `${f.functionName || '(anonymous)'}  ${owner(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + t);
    }
  }
  const show = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .forEach(([k, t]) => console.log(`${((t / busy) * 100).toFixed(1).padStart(5)} %  ${k}`));
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${((idle / total) * 100).toFixed(1)} % idle; shares below are of busy time\n`);
  console.log('by package / source folder (self time):');
  show(pkg, 20);
  console.log('\nby function (self time):');
  show(fn, top);
  console.log('\ncallpath functions, inclusive time:');
  show(incl, top);
}

main();
