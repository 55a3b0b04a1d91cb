// The production-topology suite: real PostgreSQL (TLS only), PgBouncer and the gateway as a process,
// each started and stopped by the tests themselves. Run with `npx jest -c jest.topology.config.js`.
// The @swc/jest transform is taken from the main config so both compile the code the same way.
const main = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/topology'],
  testMatch: ['**/*.test.ts'],
  transform: main.transform,
  cacheDirectory: main.cacheDirectory,
  setupFiles: ['<rootDir>/tests/topology/support/setup-env.ts'],
  // No globalSetup/setupFiles of the main suite: these tests start their own servers and must not
  // inherit its embedded PostgreSQL or TEST_DATABASE_URL.
  // One file at a time: each starts clusters, poolers and gateway processes, and some tests count
  // server connections, which a neighbour's load would skew.
  maxWorkers: 1,
  testTimeout: 180000,
  // Totals for .ci/run, beside (not over) the main suite's .data/test-results.json.
  reporters: [
    'default',
    ['<rootDir>/tests/support/summary-reporter.js', { outputFile: '.data/topology-results.json' }],
  ],
};
