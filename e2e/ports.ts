import os from "node:os";
import path from "node:path";

/**
 * Ports of the browser tests' app and of the stand-in Resend API it sends mail to. Shared by the
 * Playwright config, scripts/e2e-server.ts and the tests; E2E_PORT lets parallel runs use their own.
 * The mail port is 1000 above the app's, because parallel runs tend to take neighbouring app ports.
 */
export const appPort = Number(process.env.E2E_PORT ?? 3100);
export const resendCapturePort = Number(process.env.E2E_RESEND_PORT ?? appPort + 1000);
export const resendCaptureUrl = `http://127.0.0.1:${resendCapturePort}`;

/** Where the running e2e server tells the tests its database, for checks a browser cannot make (time travel). */
export const e2eServerInfoPath = path.join(os.tmpdir(), `archivist-e2e-server-${appPort}.json`);
export type E2eServerInfo = { databaseUrl: string };

/**
 * Where the app under test keeps its blobs: "filesystem" (the default) or "s3", a bucket on a local
 * s3rver that scripts/e2e-server.ts starts, for the backups' browser tests run again on S3.
 */
export const e2eStorage = (() => {
  const kind = process.env.E2E_STORAGE ?? "filesystem";
  if (kind !== "filesystem" && kind !== "s3") throw new Error(`E2E_STORAGE is "${kind}": use "filesystem" (the default) or "s3".`);
  return kind;
})();
