import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The backup suites again with storage on S3 (a local s3rver, one bucket per test file): every
 * backup test that passes on the filesystem driver must pass on the S3 driver too.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "test/backup-archive-contents.test.ts",
      "test/backup-audit-log.test.ts",
      "test/backup-build.test.ts",
      "test/backup-cooldown-notice.test.ts",
      "test/backup-crash.test.ts",
      "test/backup-recovery.test.ts",
      "test/backup-rules.test.ts",
      "test/send-stored-object.test.ts",
    ],
    globalSetup: ["test/support/global-setup.ts", "test/support/s3-global-setup.ts"],
  },
});
