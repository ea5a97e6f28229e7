import "server-only";
import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { CompletedPart, S3Client } from "@aws-sdk/client-s3";
import { assertSafeKey, streamReader, toNodeReadable } from "./common";
import { planComposeParts, type PieceRange } from "./compose-plan";
import {
  EmptyObjectError,
  ObjectNotFoundError,
  ObjectTooLargeError,
  type ByteRange,
  type ComposePart,
  type ObjectReader,
  type StorageBody,
  type StorageDriver,
  type StoredObject,
} from "./types";

const MiB = 1024 * 1024;
/** S3's rules for multipart uploads. */
const MIN_PART_BYTES = 5 * MiB;
const MAX_COPY_PART_BYTES = 5 * 1024 * MiB;
const MAX_PARTS = 10_000;
/** Bodies go up in parts of this size: the most a write holds in memory (so at most 78 GiB an object). */
const UPLOAD_PART_BYTES = 8 * MiB;

export type S3StorageOptions = {
  bucket: string;
  region: string;
  /** An S3-compatible server's address; unset → AWS. */
  endpoint?: string;
  /** Unset → the SDK's default chain (AWS_* variables, shared profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

type Sdk = typeof import("@aws-sdk/client-s3");

function isMissingObject(sdk: Sdk, error: unknown) {
  // GET answers NoSuchKey; HEAD has no body, so the SDK names its 404 NotFound.
  return error instanceof sdk.S3ServiceException && (error.name === "NoSuchKey" || error.name === "NotFound");
}

/** Counts, hashes and limits the bytes of a body as they are read. */
async function* measured(source: Readable, maxBytes: number | undefined, totals: { sizeBytes: number; hash: ReturnType<typeof createHash> }) {
  for await (const chunk of source as AsyncIterable<Uint8Array>) {
    totals.sizeBytes += chunk.length;
    if (maxBytes !== undefined && totals.sizeBytes > maxBytes) throw new ObjectTooLargeError(maxBytes);
    totals.hash.update(chunk);
    yield chunk;
  }
}

/** Regroups chunks into parts of exactly `partBytes`, but for a shorter (never empty) last one. */
async function* partsOf(chunks: AsyncIterable<Uint8Array>, partBytes: number): AsyncGenerator<Buffer> {
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  for await (const chunk of chunks) {
    held.push(chunk);
    heldBytes += chunk.length;
    while (heldBytes >= partBytes) {
      const joined = Buffer.concat(held, heldBytes);
      yield joined.subarray(0, partBytes);
      held = [joined.subarray(partBytes)];
      heldBytes -= partBytes;
    }
  }
  if (heldBytes > 0) yield Buffer.concat(held, heldBytes);
}

function copySource(bucket: string, key: string) {
  return `${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

/** The SDK and a client made with it. */
type Connection = { sdk: Sdk; client: S3Client };

/** One multipart upload; nothing is visible at its key until `complete`, and `abort` discards the parts. */
class MultipartUpload {
  private readonly parts: CompletedPart[] = [];

  private constructor(
    private readonly sdk: Sdk,
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly uploadId: string,
  ) {}

  static async start({ sdk, client }: Connection, bucket: string, key: string) {
    const { UploadId } = await client.send(new sdk.CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    if (!UploadId) throw new Error(`S3 started no multipart upload for ${key}`);
    return new MultipartUpload(sdk, client, bucket, key, UploadId);
  }

  private nextPartNumber() {
    const partNumber = this.parts.length + 1;
    if (partNumber > MAX_PARTS) throw new Error(`${this.key} needs more than the ${MAX_PARTS} parts S3 allows in one object`);
    return partNumber;
  }

  async upload(body: Buffer) {
    const PartNumber = this.nextPartNumber();
    const { ETag } = await this.client.send(
      new this.sdk.UploadPartCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, PartNumber, Body: body, ContentLength: body.length }),
    );
    this.parts.push({ PartNumber, ETag });
  }

  /** Server-side copy of a stored object (or of the inclusive `range` of it) as the next part. */
  async copy(sourceKey: string, range?: ByteRange) {
    const PartNumber = this.nextPartNumber();
    const { CopyPartResult } = await this.client.send(
      new this.sdk.UploadPartCopyCommand({
        Bucket: this.bucket,
        Key: this.key,
        UploadId: this.uploadId,
        PartNumber,
        CopySource: copySource(this.bucket, sourceKey),
        CopySourceRange: range && `bytes=${range.start}-${range.end}`,
      }),
    );
    this.parts.push({ PartNumber, ETag: CopyPartResult?.ETag });
  }

  async complete() {
    await this.client.send(
      new this.sdk.CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts } }),
    );
  }

  /** Called on a failure, whose error is the one to report: a failed abort is logged, not thrown. */
  async abort() {
    await this.client
      .send(new this.sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId }))
      .catch((error: unknown) => console.error("Could not abort the multipart upload of", this.key, error));
  }
}

/**
 * S3 or an S3-compatible server (path-style addresses, so any endpoint works). Writes are
 * all-or-nothing because S3 only shows an object once its PutObject or CompleteMultipartUpload
 * succeeds; a multipart upload that fails is aborted so its parts are not kept (and billed).
 */
export class S3Storage implements StorageDriver {
  private readonly bucket: string;
  private connecting: Promise<Connection> | undefined;

  constructor(private readonly options: S3StorageOptions) {
    this.bucket = options.bucket;
  }

  /**
   * The AWS SDK is loaded when S3 is first used: it takes about 24 MiB of a process's memory, which a
   * server that stores on its filesystem never needs.
   */
  private connect(): Promise<Connection> {
    this.connecting ??= import("@aws-sdk/client-s3").then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: this.options.region,
        endpoint: this.options.endpoint,
        credentials: this.options.credentials,
        forcePathStyle: true,
        // The SDK's default checksums (a CRC32 of every body, sent as aws-chunked trailers for streams)
        // are not understood by every S3-compatible server (s3rver stores such a body verbatim), and
        // the sha256 of every object is computed here anyway.
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      }),
    }));
    return this.connecting;
  }

  async put(key: string, body: StorageBody, options: { maxBytes?: number } = {}): Promise<StoredObject> {
    assertSafeKey(key);
    const connection = await this.connect();
    const totals = { sizeBytes: 0, hash: createHash("sha256") };
    let upload: MultipartUpload | undefined;
    try {
      let wholeBody: Buffer | undefined;
      for await (const part of partsOf(measured(toNodeReadable(body), options.maxBytes, totals), UPLOAD_PART_BYTES)) {
        // Only the last part can be short, so a short first part is the whole body: one PutObject.
        if (!upload && part.length < UPLOAD_PART_BYTES) {
          wholeBody = part;
          continue;
        }
        upload ??= await MultipartUpload.start(connection, this.bucket, key);
        await upload.upload(part);
      }
      if (upload) await upload.complete();
      else if (wholeBody) await connection.client.send(new connection.sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: wholeBody, ContentLength: wholeBody.length }));
      else throw new EmptyObjectError();
    } catch (error) {
      await upload?.abort();
      throw error;
    }
    return { sizeBytes: totals.sizeBytes, sha256: totals.hash.digest("hex") };
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    assertSafeKey(key);
    const { sdk, client } = await this.connect();
    try {
      const { Body } = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range && `bytes=${range.start}-${range.end}` }),
      );
      if (!(Body instanceof Readable)) throw new Error(`S3 returned no stream for ${key}`);
      return Body;
    } catch (error) {
      if (isMissingObject(sdk, error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async openReader(key: string, range?: ByteRange): Promise<ObjectReader> {
    return streamReader(await this.read(key, range));
  }

  async putFile(key: string, filePath: string): Promise<{ sizeBytes: number }> {
    // Opened here and closed in `finally`, so a refused upload never leaves a read pending on a removed file.
    const handle = await fsp.open(filePath);
    try {
      return { sizeBytes: (await this.put(key, handle.createReadStream({ autoClose: false }))).sizeBytes };
    } finally {
      await handle.close();
    }
  }

  async stat(key: string) {
    assertSafeKey(key);
    const { sdk, client } = await this.connect();
    try {
      const { ContentLength } = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { sizeBytes: ContentLength ?? 0 };
    } catch (error) {
      if (isMissingObject(sdk, error)) return null;
      throw error;
    }
  }

  async compose(key: string, parts: ComposePart[]): Promise<StoredObject> {
    assertSafeKey(key);
    const pieces: { size: number; stored: boolean }[] = [];
    for (const part of parts) {
      if ("bytes" in part) {
        pieces.push({ size: part.bytes.length, stored: false });
        continue;
      }
      const stat = await this.stat(part.key);
      if (!stat) throw new ObjectNotFoundError(part.key);
      pieces.push({ size: stat.sizeBytes, stored: true });
    }
    const expectedBytes = pieces.reduce((total, piece) => total + piece.size, 0);
    if (expectedBytes === 0) throw new EmptyObjectError();

    const plan = planComposeParts(pieces, { minPartBytes: MIN_PART_BYTES, uploadPartBytes: UPLOAD_PART_BYTES, maxCopyPartBytes: MAX_COPY_PART_BYTES });
    const upload = await MultipartUpload.start(await this.connect(), this.bucket, key);
    try {
      for (const planned of plan) {
        if (planned.kind === "upload") {
          await upload.upload(await this.gather(parts, planned.ranges));
          continue;
        }
        const { piece, start, end } = planned.range;
        const whole = start === 0 && end === pieces[piece]!.size;
        await upload.copy((parts[piece] as { key: string }).key, whole ? undefined : { start, end: end - 1 });
      }
      await upload.complete();
    } catch (error) {
      await upload.abort();
      throw error;
    }

    // S3 keeps no sha256 of an object it assembled, so it is computed from what the bucket now holds.
    try {
      const stored = await this.measure(key);
      if (stored.sizeBytes !== expectedBytes) throw new Error(`${key} holds ${stored.sizeBytes} bytes once composed, not the ${expectedBytes} of its parts`);
      return stored;
    } catch (error) {
      await this.delete(key).catch((deleteError: unknown) => console.error("Could not remove the failed composition", key, deleteError));
      throw error;
    }
  }

  async delete(key: string) {
    assertSafeKey(key);
    const { sdk, client } = await this.connect();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** The bytes of one uploaded part of a composition: literal bytes and ranges of small stored objects. */
  private async gather(parts: ComposePart[], ranges: PieceRange[]): Promise<Buffer> {
    const buffers: Buffer[] = [];
    for (const { piece, start, end } of ranges) {
      const part = parts[piece]!;
      if ("bytes" in part) buffers.push(part.bytes.subarray(start, end));
      else buffers.push(await buffer(await this.read(part.key, { start, end: end - 1 })));
    }
    return Buffer.concat(buffers);
  }

  private async measure(key: string): Promise<StoredObject> {
    const hash = createHash("sha256");
    let sizeBytes = 0;
    for await (const chunk of (await this.read(key)) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      sizeBytes += chunk.length;
    }
    return { sizeBytes, sha256: hash.digest("hex") };
  }
}
