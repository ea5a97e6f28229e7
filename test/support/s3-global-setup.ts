import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startS3Server } from "./s3-server";

/**
 * One s3rver for the run (vitest.s3.config.ts): per-file-database.ts sees its address and gives each
 * test file its own bucket, holding the template's blobs, in place of a storage folder.
 */
export default async function setup() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-s3-"));
  const server = await startS3Server(directory);
  process.env.ARCHIVIST_TEST_S3_ENDPOINT = server.endpoint;
  return async function teardown() {
    await server.close();
    fs.rmSync(directory, { recursive: true, force: true });
  };
}
