// A mocha reporter that prints like the suite's own reporter and also writes how many tests passed, failed and
// were skipped to a JSON file, so that scripts/test-all.mjs can add up test cases across suites reliably
// (mocha accepts only one --reporter, and parsing console output is fragile).
//
//   YIELDSCOPE_BASE_REPORTER  the reporter that prints to the console (a built-in name; default "spec")
//   YIELDSCOPE_COUNTS_FILE    where to write {"passed": n, "failed": n, "skipped": n, "ended": bool}
//
// CommonJS because mocha loads reporters with require().
'use strict';

const fs = require('node:fs');
const Mocha = require('mocha');

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

/**
 * Builds the console reporter and counts alongside it. Returns the console reporter itself, so that mocha
 * calls its `done`/`epilogue` as usual.
 */
function CountingReporter(runner, options) {
  const baseName = process.env.YIELDSCOPE_BASE_REPORTER || 'spec';
  const Base = Mocha.reporters[baseName];
  if (typeof Base !== 'function') throw new Error(`mocha-count-reporter: unknown base reporter "${baseName}"`);
  const inner = new Base(runner, options);

  // Sets, not counters: a test that passes and then fails (e.g. done() called twice) counts once, as failed.
  const passed = new Set();
  const failed = new Set();
  const skipped = new Set();
  let ended = false;

  const write = () => {
    const file = process.env.YIELDSCOPE_COUNTS_FILE;
    if (!file) return;
    const counts = { passed: passed.size, failed: failed.size, skipped: skipped.size, ended };
    try {
      fs.writeFileSync(file, JSON.stringify(counts) + '\n');
    } catch (e) {
      process.stderr.write(`mocha-count-reporter: cannot write ${file}: ${e.message}\n`);
    }
  };

  runner.on(EVENT_TEST_PASS, (test) => {
    if (!failed.has(test)) passed.add(test);
  });
  // Also fires for failing hooks (then the runnable is the hook): each counts as one failed case.
  runner.on(EVENT_TEST_FAIL, (test) => {
    passed.delete(test);
    failed.add(test);
  });
  runner.on(EVENT_TEST_PENDING, (test) => skipped.add(test));
  runner.once(EVENT_RUN_END, () => {
    ended = true;
    write();
  });
  // If the run is cut short (process.exit in a test, a crash), still report what was counted.
  process.once('exit', write);

  return inner;
}

module.exports = CountingReporter;
