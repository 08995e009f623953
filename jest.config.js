/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // openid-client and its dependencies ship only as ES modules, which jest's CommonJS runtime cannot
    // load (Node's own require(esm) is not used inside jest): ts-jest compiles them to CommonJS like the
    // tests' TypeScript. oidc-provider is not among them: the tests run it in its own process.
    '/node_modules/(openid-client|oauth4webapi|jose)/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }],
  },
  // Everything else under node_modules stays untransformed, as by default.
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose)/)'],
  testTimeout: 20000,
};
