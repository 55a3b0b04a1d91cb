// Writes jest's totals to .data/test-results.json so .ci/run can print them without changing the test command.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests,
      skipped: results.numPendingTests + results.numTodoTests,
      total: results.numTotalTests,
      suitesFailed: results.numFailedTestSuites,
      suitesBroken: results.numRuntimeErrorTestSuites,
    };
    const file = path.join(__dirname, '..', '..', '.data', 'test-results.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(summary, null, 2));
  }
}

module.exports = SummaryReporter;
