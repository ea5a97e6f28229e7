#!/usr/bin/env bash
# Every test: unit and integration (vitest, real PostgreSQL in throwaway databases), the backup
# suites again on S3, then the browser suite (Playwright in Chromium against a production build),
# and its backup tests again with the app's storage on S3.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
rm -rf reports && mkdir -p reports

npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json
unit_status=$?

# The backup suites a second time, with storage on S3 (a local s3rver): vitest.s3.config.ts.
npx vitest run --config vitest.s3.config.ts --reporter=default --reporter=json --outputFile.json=reports/vitest-s3.json
s3_status=$?

if npx next build; then
  npx playwright test
  e2e_status=$?
  E2E_STORAGE=s3 npx playwright test e2e/backups.spec.ts
  e2e_s3_status=$?
else
  echo "next build failed: the browser suite cannot run." >&2
  e2e_status=1
  e2e_s3_status=1
fi

node scripts/summarize-tests.mjs
summary_status=$?
if [ "$unit_status" -ne 0 ] || [ "$s3_status" -ne 0 ] || [ "$e2e_status" -ne 0 ] || [ "$e2e_s3_status" -ne 0 ] || [ "$summary_status" -ne 0 ]; then exit 1; fi
