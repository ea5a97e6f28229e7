import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { e2eStorage, appPort as port, resendCapturePort } from "./e2e/ports";

const debianChromium = "/usr/bin/chromium";
/** The run on S3 (E2E_STORAGE=s3) writes its results and report beside the filesystem run's, not over them. */
const runSuffix = e2eStorage === "s3" ? "-s3" : "";

export default defineConfig({
  testDir: "e2e",
  outputDir: `test-results/e2e${runSuffix}`,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: `reports/playwright${runSuffix}.json` }]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 800 },
        launchOptions: fs.existsSync(debianChromium)
          ? {
              executablePath: debianChromium,
              args: [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
              ],
            }
          : {},
      },
    },
  ],
  webServer: {
    command: "npx tsx scripts/e2e-server.ts",
    url: `http://localhost:${port}/login`,
    timeout: 180_000,
    reuseExistingServer: false,
    // SIGTERM lets scripts/e2e-server.ts stop the app and drop its throwaway database.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(port), E2E_RESEND_PORT: String(resendCapturePort), E2E_STORAGE: e2eStorage },
  },
});
