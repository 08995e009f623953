/**
 * The suites StrykerJS runs against each mutant (npm run test:mutation): the pure core's unit tests
 * only. Not the end-to-end, browser, Mongo, telephony or reliability suites: they are slow, need
 * services, and exercise the core only through the wire.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

// The embedded store only: a suite that also runs on MongoDB (rollups-vs-recompute) leaves that half out
// instead of failing for want of FerretDB, which a mutant of the pure core does not need.
process.env.CALLPATH_TEST_SCOPE ??= 'unit';

module.exports = {
  ...base,
  // src as well: jest's --findRelatedTests (which Stryker uses per mutant) follows imports only through
  // files under the roots, so with test/ alone a node behaviour reached through the engine had no
  // related tests, and every mutant in it "survived" without a test being run.
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: [
    '<rootDir>/test/journey/**/*.test.ts',
    '<rootDir>/test/engine/**/*.test.ts',
    '<rootDir>/test/flow/**/*.test.ts',
    '<rootDir>/test/metrics/**/*.test.ts',
    '<rootDir>/test/privacy/pseudonym*.test.ts',
    // Pure tests elsewhere that are the only unit tests of a core file (metrics/callbacks.ts).
    '<rootDir>/test/reception/callbacks-pure.test.ts',
  ],
};
