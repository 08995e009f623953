// Summarises StrykerJS's JSON report (reports/mutation/mutation.json, written by npm run test:mutation)
// as markdown: the mutation score per folder of the pure core, and the mutants left alive in the files
// named with --list (default: the engine and the projector). Used to write bench/mutation-results.md.
//
//   node scripts/mutation-summary.mjs [report.json ...] [--list src/flow/engine.ts,src/flow/nodes/,src/journey/projector.ts]
//
// Several reports (runs of one folder part each, with their own incremental files) are read as one;
// a file in more than one is taken from the last that has it.
import fs from 'node:fs';

const args = process.argv.slice(2);
const listAt = args.indexOf('--list');
const listed = listAt >= 0 ? args[listAt + 1].split(',') : ['src/flow/engine.ts', 'src/flow/nodes/', 'src/journey/projector.ts'];
const files = args.filter((a, i) => !a.startsWith('--') && (listAt < 0 || i !== listAt + 1));
const report = { files: {} };
for (const file of files.length ? files : ['reports/mutation/mutation.json']) Object.assign(report.files, JSON.parse(fs.readFileSync(file, 'utf8')).files);

/** The folders the issue asks a score for; a file belongs to the first that matches. */
const FOLDERS = [
  ['flow (engine and nodes)', (p) => p === 'src/flow/engine.ts' || p === 'src/flow/context.ts' || p.startsWith('src/flow/nodes/')],
  ['flow (the rest)', (p) => p.startsWith('src/flow/')],
  ['journey (without scoring)', (p) => p.startsWith('src/journey/') && p !== 'src/journey/scoring.ts'],
  ['metrics', (p) => p.startsWith('src/metrics/')],
  ['privacy pseudonym and survey scoring', (p) => p === 'src/privacy/pseudonym.ts' || p === 'src/journey/scoring.ts'],
];
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const empty = () => ({ Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0, Pending: 0 });
const add = (acc, status) => (acc[status] = (acc[status] ?? 0) + 1);
const score = (c) => {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  return valid ? ((100 * detected) / valid).toFixed(1) : 'n/a';
};
/**
 * The score were every timeout a survivor: a timeout is a mutant that looped, unless the machine was
 * busy enough to stretch a normal run past the limit, so the truth lies between the two figures.
 */
const killedOnly = (c) => {
  const valid = c.Killed + c.Timeout + c.Survived + c.NoCoverage;
  return valid ? ((100 * c.Killed) / valid).toFixed(1) : 'n/a';
};
const row = (name, c) =>
  `| ${name} | ${score(c)} % | ${killedOnly(c)} % | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.CompileError + c.RuntimeError} |`;

const perFolder = new Map(FOLDERS.map(([name]) => [name, empty()]));
const perFile = new Map();
const total = empty();
const alive = [];
for (const [path, f] of Object.entries(report.files)) {
  const rel = path.replace(/^.*?(src\/)/, '$1');
  const folder = FOLDERS.find(([, match]) => match(rel))?.[0];
  const fileCounts = empty();
  for (const m of f.mutants) {
    add(fileCounts, m.status);
    add(total, m.status);
    if (folder) add(perFolder.get(folder), m.status);
    if (UNDETECTED.has(m.status) && listed.some((l) => rel === l || (l.endsWith('/') && rel.startsWith(l)))) {
      const line = f.source.split('\n')[m.location.start.line - 1].trim();
      alive.push({ rel, line: m.location.start.line, col: m.location.start.column, mutator: m.mutatorName, replacement: m.replacement, status: m.status, code: line });
    }
  }
  perFile.set(rel, fileCounts);
}

const header = '| | score | timeouts as survivors | killed | timed out | survived | no coverage | not type-valid |\n| --- | --- | --- | --- | --- | --- | --- | --- |';
console.log('### Score per folder\n');
console.log(header);
for (const [name, c] of perFolder) console.log(row(name, c));
console.log(row('**all**', total));
console.log('\n### Score per file\n');
console.log(header);
for (const [rel, c] of [...perFile].sort(([a], [b]) => a.localeCompare(b))) console.log(row(rel, c));
console.log(`\n### Left alive in ${listed.join(', ')}\n`);
for (const a of alive.sort((x, y) => x.rel.localeCompare(y.rel) || x.line - y.line || x.col - y.col)) {
  const repl = (a.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
  console.log(`- ${a.rel}:${a.line}:${a.col} ${a.mutator} → \`${repl}\` (${a.status}) in \`${a.code.slice(0, 110)}\``);
}
void DETECTED;
