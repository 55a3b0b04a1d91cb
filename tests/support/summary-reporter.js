// Writes jest's totals to a JSON file (.data/test-results.json unless `outputFile` says otherwise) so .ci/run
// can print them without changing the test command.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(_globalConfig, options = {}) {
    const root = path.join(__dirname, '..', '..');
    this.file = path.resolve(root, options.outputFile ?? path.join('.data', 'test-results.json'));
  }

  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      total: results.numTotalTests,
      suitesFailed: results.numFailedTestSuites,
      suitesBroken: results.numRuntimeErrorTestSuites,
    };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(summary, null, 2));
  }
}

module.exports = SummaryReporter;
