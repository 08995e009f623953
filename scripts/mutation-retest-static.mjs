// Drops from a Stryker incremental file the static mutants (run once when a module loads, so no test
// "covers" them) that no test detected, so that the next run tests them again.
//
// Why: Stryker reuses a mutant that was not killed when "no new test covers it, and no tests changed"
// (https://stryker-mutator.io/docs/stryker-js/incremental). A static mutant is covered by no test, so
// once it survived it was reported as surviving in every later run, even after a test that kills it
// was written (seen on 5 December 2026: 22 of metrics-a's 53 survivors were such stale results).
//
//   node scripts/mutation-retest-static.mjs bench/stryker-incremental-<part>.json
import fs from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/mutation-retest-static.mjs <incremental file>');
  process.exit(2);
}
if (!fs.existsSync(file)) process.exit(0);
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
let dropped = 0;
for (const f of Object.values(report.files ?? {})) {
  const before = f.mutants.length;
  f.mutants = f.mutants.filter((m) => !(m.static && !m.coveredBy?.length && (m.status === 'Survived' || m.status === 'NoCoverage')));
  dropped += before - f.mutants.length;
}
if (dropped) fs.writeFileSync(file, JSON.stringify(report, null, 2));
console.log(`mutation-retest-static: ${dropped} undetected static mutant(s) of ${file} will be tested again`);
