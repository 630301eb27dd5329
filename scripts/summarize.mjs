// Adds up the vitest and playwright JSON reports into one closing line: "N passed, N failed".
// A step that failed without a report (typecheck, lint, build, a crashed runner) counts as failed.
import fs from 'node:fs';

const stepsFailed = Number(process.argv[2] ?? 0);
let passed = 0;
let failed = 0;
let skipped = 0;
/** @type {string[]} */
const missing = [];

/**
 * A runner's JSON report, as the runner wrote it (null when there is none).
 * @param {string} file
 */
function read(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    missing.push(file);
    return null;
  }
}

/** @type {import('vitest/reporters').JsonTestResults | null} */
const vitest = read('.artifacts/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  // A file that failed without any failed test (it did not load, or a hook threw) counts once.
  failed += (vitest.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((t) => t.status === 'failed'),
  ).length;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}
/** @type {import('@playwright/test/reporter').JSONReport | null} */
const pw = read('.artifacts/playwright.json');
if (pw) {
  passed += pw.stats.expected + (pw.stats.flaky ?? 0);
  failed += pw.stats.unexpected;
  skipped += pw.stats.skipped;
  // An error outside any test (the web server did not start, a spec did not load) still writes
  // a report, of no tests: each such error counts as a failure, or such a run would pass.
  for (const e of pw.errors ?? []) {
    console.log(`playwright error outside any test: ${e.message ?? e.value ?? 'unknown'}`);
    failed += 1;
  }
  // Passed only on its retry: counted as passed, and named, so a flake is seen and looked into.
  for (const title of flakyTitles(pw.suites ?? []))
    console.log(`flaky (passed on its retry): ${title}`);
}

/**
 * The titles of the tests that failed and then passed on their retry.
 * @param {import('@playwright/test/reporter').JSONReportSuite[]} suites
 * @returns {string[]}
 */
function flakyTitles(suites) {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests.some((t) => t.status === 'flaky') ? [`${spec.file}: ${spec.title}`] : [],
    ),
    ...flakyTitles(suite.suites ?? []),
  ]);
}
for (const f of missing) console.log(`no report at ${f}: its runner did not finish`);
console.log(
  `steps failed (typecheck, lint, format, build, soak, lighthouse, a runner without a report): ${stepsFailed}`,
);
const totalFailed = failed + stepsFailed;
console.log(`${passed} passed, ${totalFailed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(totalFailed > 0 || passed === 0 ? 1 : 0);
