/**
 * The suites StrykerJS runs against each mutant (npm run test:mutation): the pure core's unit tests
 * only. Not the end-to-end, browser, Mongo, telephony or reliability suites: they are slow, need
 * services, and exercise the core only through the wire.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testMatch: [
    '<rootDir>/test/journey/**/*.test.ts',
    '<rootDir>/test/engine/**/*.test.ts',
    '<rootDir>/test/flow/**/*.test.ts',
    '<rootDir>/test/metrics/**/*.test.ts',
    '<rootDir>/test/privacy/pseudonym*.test.ts',
  ],
};
