import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { S3Storage } from "@/lib/storage/s3";
import { ObjectTooLargeError } from "@/lib/storage/types";
import { createBucket, s3TestClient, S3_TEST_CREDENTIALS, S3_TEST_REGION, startS3Server, type S3TestServer } from "./support/s3-server";
import { describeStorageContract, failingAfter, sha256 } from "./support/storage-contract";

/** The S3 driver against s3rver, a local S3-compatible server, started here on a free port. */

const MiB = 1024 * 1024;
const directory = fs.mkdtempSync(path.join(os.tmpdir(), "archivist-s3-"));
let server: S3TestServer;
let client: S3Client;
let bucketCount = 0;

beforeAll(async () => {
  server = await startS3Server(directory);
  client = s3TestClient(server.endpoint);
});
afterAll(async () => {
  client.destroy();
  await server.close();
  fs.rmSync(directory, { recursive: true, force: true });
});

async function freshBucket() {
  bucketCount += 1;
  const bucket = `archivist-test-${bucketCount}`;
  await createBucket(server.endpoint, bucket);
  const driver = new S3Storage({ bucket, region: S3_TEST_REGION, endpoint: server.endpoint, credentials: S3_TEST_CREDENTIALS });
  const leftovers = async () => {
    const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const objects = Contents.map((object) => object.Key!);
    return [...objects, ...server.openMultipartUploads(bucket).map((uploadId) => `unfinished upload ${uploadId}`)];
  };
  return { bucket, driver, leftovers };
}

describeStorageContract("S3", freshBucket);

describe("S3 storage beyond one part", () => {
  let driver: S3Storage;
  let leftovers: () => Promise<string[]>;
  let requestsBefore: number;
  const multipartRequests = () => server.multipartRequests.slice(requestsBefore);

  beforeEach(async () => {
    ({ driver, leftovers } = await freshBucket());
    requestsBefore = server.multipartRequests.length;
  });

  it("uploads a body larger than one part as a multipart upload and reads it back identical, also its last bytes", async () => {
    const body = randomBytes(20 * MiB + 123);
    const pieces = Array.from({ length: Math.ceil(body.length / (64 * 1024)) }, (_, index) => body.subarray(index * 64 * 1024, (index + 1) * 64 * 1024));
    expect(await driver.put("orgs/a/large", Readable.from(pieces))).toEqual({ sizeBytes: body.length, sha256: sha256(body) });
    expect(multipartRequests()).toEqual([
      { operation: "UploadPart", key: "orgs/a/large", partNumber: 1, bytes: 8 * MiB },
      { operation: "UploadPart", key: "orgs/a/large", partNumber: 2, bytes: 8 * MiB },
      { operation: "UploadPart", key: "orgs/a/large", partNumber: 3, bytes: 4 * MiB + 123 },
      { operation: "CompleteMultipartUpload", key: "orgs/a/large" },
    ]);
    expect(await driver.stat("orgs/a/large")).toEqual({ sizeBytes: body.length });
    expect((await buffer(await driver.read("orgs/a/large"))).equals(body)).toBe(true);
    const tail = await buffer(await driver.read("orgs/a/large", { start: body.length - 1000, end: body.length - 1 }));
    expect(tail.equals(body.subarray(body.length - 1000))).toBe(true);
    const acrossParts = await buffer(await driver.read("orgs/a/large", { start: 8 * MiB - 10, end: 8 * MiB + 9 }));
    expect(acrossParts.equals(body.subarray(8 * MiB - 10, 8 * MiB + 10))).toBe(true);
    expect(await leftovers()).toEqual(["orgs/a/large"]);
  });

  it("leaves nothing, not even uploaded parts, when a body breaks off after its first part", async () => {
    await expect(driver.put("orgs/a/dropped", failingAfter(randomBytes(10 * MiB)))).rejects.toThrow("connection reset");
    expect(multipartRequests().map((request) => request.operation)).toEqual(["UploadPart", "AbortMultipartUpload"]);
    expect(await leftovers()).toEqual([]);
  });

  it("leaves nothing when a multipart body grows past the limit", async () => {
    const oneMiBAtATime = Readable.from(Array.from({ length: 20 }, () => randomBytes(MiB)));
    await expect(driver.put("orgs/a/too-big", oneMiBAtATime, { maxBytes: 12 * MiB })).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(multipartRequests().map((request) => request.operation)).toEqual(["UploadPart", "AbortMultipartUpload"]);
    expect(await leftovers()).toEqual([]);
  });

  it("composes big stored parts by server-side copy and uploads the small ones and the bytes", async () => {
    const first = randomBytes(6 * MiB);
    const second = randomBytes(6 * MiB + 7);
    const small = [randomBytes(1000), randomBytes(300 * 1024)];
    const bytes = randomBytes(2000);
    await driver.put("segments/1", first);
    await driver.put("segments/2", second);
    await driver.put("segments/3", small[0]!);
    await driver.put("segments/4", small[1]!);
    requestsBefore = server.multipartRequests.length;
    const composed = await driver.compose("archive", [{ key: "segments/1" }, { key: "segments/2" }, { key: "segments/3" }, { key: "segments/4" }, { bytes }]);
    const expected = Buffer.concat([first, second, ...small, bytes]);
    expect(composed).toEqual({ sizeBytes: expected.length, sha256: sha256(expected) });
    expect((await buffer(await driver.read("archive"))).equals(expected)).toBe(true);
    expect(multipartRequests()).toEqual([
      { operation: "UploadPartCopy", key: "archive", partNumber: 1, sourceKey: "segments/1", range: undefined },
      { operation: "UploadPartCopy", key: "archive", partNumber: 2, sourceKey: "segments/2", range: undefined },
      { operation: "UploadPart", key: "archive", partNumber: 3, bytes: 1000 + 300 * 1024 + 2000 },
      { operation: "CompleteMultipartUpload", key: "archive" },
    ]);
    expect((await leftovers()).sort()).toEqual(["archive", "segments/1", "segments/2", "segments/3", "segments/4"]);
  });

  it("tops up small leading parts with the head of a big one and copies the rest of it server-side", async () => {
    const head = randomBytes(MiB);
    const big = randomBytes(12 * MiB);
    const last = randomBytes(6 * MiB);
    const bytes = randomBytes(10);
    await driver.put("segments/head", head);
    await driver.put("segments/big", big);
    await driver.put("segments/last", last);
    requestsBefore = server.multipartRequests.length;
    const composed = await driver.compose("archive", [{ key: "segments/head" }, { key: "segments/big" }, { key: "segments/last" }, { bytes }]);
    const expected = Buffer.concat([head, big, last, bytes]);
    expect(composed).toEqual({ sizeBytes: expected.length, sha256: sha256(expected) });
    expect((await buffer(await driver.read("archive"))).equals(expected)).toBe(true);
    // The first part is the 1 MiB head and the first 4 MiB of `big`, so it reaches S3's 5 MiB minimum.
    expect(multipartRequests()).toEqual([
      { operation: "UploadPart", key: "archive", partNumber: 1, bytes: 5 * MiB },
      { operation: "UploadPartCopy", key: "archive", partNumber: 2, sourceKey: "segments/big", range: `bytes=${4 * MiB}-${12 * MiB - 1}` },
      { operation: "UploadPartCopy", key: "archive", partNumber: 3, sourceKey: "segments/last", range: undefined },
      { operation: "UploadPart", key: "archive", partNumber: 4, bytes: 10 },
      { operation: "CompleteMultipartUpload", key: "archive" },
    ]);
  });
});
