// Sums the JSON reports of every test runner into the one closing line CI reads: "N passed, N failed".
import fs from "node:fs";

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];

function readJson(file) {
  if (!fs.existsSync(file)) {
    missing.push(file);
    return undefined;
  }
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

// Every vitest run: all suites on the filesystem storage, then the backup suites on S3.
for (const report of ["reports/vitest.json", "reports/vitest-s3.json"]) {
  const vitest = readJson(report);
  if (!vitest) continue;
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + vitest.numTodoTests;
  // A file that fails to load runs no tests but still fails the suite.
  failed += vitest.testResults.filter((file) => file.status === "failed" && file.assertionResults.length === 0).length;
}

// The browser suite, then its backup tests with the app's storage on S3.
for (const report of ["reports/playwright.json", "reports/playwright-s3.json"]) {
  const playwright = readJson(report);
  if (!playwright) continue;
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
  skipped += playwright.stats.skipped;
  failed += (playwright.errors ?? []).length;
}

for (const file of missing) {
  console.error(`No report at ${file}: that suite did not run.`);
  failed += 1;
}

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
