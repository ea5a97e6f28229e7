import fs from "node:fs";
import path from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver, { type S3rverContext, type S3rverMiddleware } from "s3rver";

/** s3rver checks no signatures, but the SDK signs every request, so it needs some credentials. */
export const S3_TEST_REGION = "us-east-1";
export const S3_TEST_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export type MultipartRequest =
  | { operation: "UploadPart"; key: string; partNumber: number; bytes: number }
  | { operation: "UploadPartCopy"; key: string; partNumber: number; sourceKey: string; range: string | undefined }
  | { operation: "CompleteMultipartUpload" | "AbortMultipartUpload"; key: string };

export type S3TestServer = {
  endpoint: string;
  /** Every request on a multipart upload, in order: what the driver asked the server to do. */
  multipartRequests: MultipartRequest[];
  /** Multipart uploads started and neither completed nor aborted. */
  openMultipartUploads(bucket: string): string[];
  close(): Promise<void>;
};

export function s3TestClient(endpoint: string) {
  return new S3Client({ endpoint, region: S3_TEST_REGION, credentials: S3_TEST_CREDENTIALS, forcePathStyle: true });
}

/** Creates the bucket and, given a folder, stores every file under it keyed by its relative path. */
export async function createBucket(endpoint: string, bucket: string, contentsFolder?: string) {
  const client = s3TestClient(endpoint);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const files = contentsFolder ? fs.readdirSync(contentsFolder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()) : [];
    for (const file of files) {
      const filePath = path.join(file.parentPath, file.name);
      const key = path.relative(contentsFolder!, filePath).split(path.sep).join("/");
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.readFileSync(filePath) }));
    }
  } finally {
    client.destroy();
  }
}

function xmlError(context: S3rverContext, status: number, code: string, message: string) {
  context.status = status;
  context.type = "application/xml";
  context.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

/**
 * Records the requests on multipart uploads, and completes s3rver's support for them: s3rver 3.7.1
 * (the latest release) answers UploadPartCopy with NotImplemented (its unreleased 4.x has it) and
 * AbortMultipartUpload with MethodNotAllowed. Both are carried out here on s3rver's own store, ahead
 * of its router, so the driver meets the S3 API it uses on AWS.
 */
function multipartSupport(requests: MultipartRequest[]): S3rverMiddleware {
  return async (context, next) => {
    const uploadId = typeof context.query.uploadId === "string" ? context.query.uploadId : undefined;
    if (!uploadId) return next();
    const [bucket = "", ...keyParts] = context.path.slice(1).split("/").map(decodeURIComponent);
    const key = keyParts.join("/");
    const partNumber = Number(context.query.partNumber);
    const uploadDirectory = path.join(context.store.getResourcePath(bucket, undefined, "uploads"), uploadId);
    const copySource = context.get("x-amz-copy-source");

    if (context.method === "POST") {
      requests.push({ operation: "CompleteMultipartUpload", key });
      return next();
    }
    if (context.method === "DELETE") {
      requests.push({ operation: "AbortMultipartUpload", key });
      await fs.promises.rm(uploadDirectory, { recursive: true, force: true });
      context.status = 204;
      return;
    }
    if (context.method !== "PUT") return next();
    if (!copySource) {
      requests.push({ operation: "UploadPart", key, partNumber, bytes: Number(context.get("content-length")) });
      return next();
    }

    if (!fs.existsSync(uploadDirectory)) return xmlError(context, 404, "NoSuchUpload", "The specified upload does not exist.");
    const [sourceBucket = "", ...sourceKeyParts] = decodeURIComponent(copySource).replace(/^\//, "").split("/");
    const sourceKey = sourceKeyParts.join("/");
    const rangeHeader = context.get("x-amz-copy-source-range") || undefined;
    const range = rangeHeader?.match(/^bytes=(\d+)-(\d+)$/);
    const source = await context.store.getObject(sourceBucket, sourceKey, range ? { start: Number(range[1]), end: Number(range[2]) } : undefined);
    if (!source?.content) return xmlError(context, 404, "NoSuchKey", "The specified key does not exist.");
    const { md5 } = await context.store.putPart(bucket, uploadId, partNumber, source.content);
    requests.push({ operation: "UploadPartCopy", key, partNumber, sourceKey, range: rangeHeader });
    context.type = "application/xml";
    context.body = `<?xml version="1.0" encoding="UTF-8"?>\n<CopyPartResult><LastModified>${new Date().toISOString()}</LastModified><ETag>"${md5}"</ETag></CopyPartResult>`;
  };
}

/** Starts s3rver on a free port of 127.0.0.1, storing its buckets under `directory`. */
export async function startS3Server(directory: string): Promise<S3TestServer> {
  const multipartRequests: MultipartRequest[] = [];
  const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, vhostBuckets: false });
  server.middleware.unshift(multipartSupport(multipartRequests));
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    multipartRequests,
    openMultipartUploads: (bucket) => {
      const uploads = server.store.getResourcePath(bucket, undefined, "uploads");
      return fs.existsSync(uploads) ? fs.readdirSync(uploads) : [];
    },
    close: () => server.close(),
  };
}
