// Mutation testing of the pure core (issue 24): `npm run test:mutation`. Not part of `npm test`.
// Report: bench/mutation-results.md. Incremental: a rerun tests only mutants whose code or covering
// tests changed since bench/stryker-incremental.json was written (commit that file after a run).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  coverageAnalysis: 'perTest',
  mutate: [
    'src/flow/**/*.ts',
    '!src/flow/loader.ts', // reads flow files and folders
    '!src/flow/lint/lint.ts', // reads a folder of flow files
    '!src/flow/replay/archive.ts', // reads and writes the archive of flow versions
    '!src/flow/in-service.ts', // loads the flow folder, archives versions, logs
    'src/journey/**/*.ts',
    'src/metrics/**/*.ts',
    '!src/metrics/read.ts', // reads rollups from the store
    '!src/metrics/rebuild.ts', // rewrites journeys and rollups in the store
    '!src/metrics/repair.ts', // repairs rollups in the store
    'src/privacy/pseudonym.ts',
  ],
  incremental: true,
  incrementalFile: 'bench/stryker-incremental.json',
  // A mutant that loops is stopped this long after a normal run of its tests would have ended.
  timeoutMS: 2000,
  timeoutFactor: 1.5,
  // The machine is shared: one test runner while working; `--concurrency 2` for a long final run.
  concurrency: 1,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: { allowColor: false, reportTests: false, maxTestsToLog: 2 },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  ignorePatterns: ['dist', 'data', '.data', 'coverage', 'test-artifacts', 'reports', 'bench/profiles', 'tools/ferretdb/bin'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
