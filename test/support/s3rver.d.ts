// s3rver ships no types; this declares the part of it the tests use.
declare module "s3rver" {
  import type { AddressInfo } from "node:net";
  import type { Readable } from "node:stream";

  type StoredObject = { content: Readable | null; size: number };

  /** s3rver's own filesystem store (lib/stores/filesystem.js). */
  export type S3rverStore = {
    getObject(bucket: string, key: string, range?: { start: number; end: number }): Promise<StoredObject | null>;
    putPart(bucket: string, uploadId: string, partNumber: number, content: Readable): Promise<{ size: number; md5: string }>;
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  };

  /** The Koa context of a request, as far as the tests use it. */
  export type S3rverContext = {
    method: string;
    path: string;
    query: Record<string, string | string[] | undefined>;
    get(header: string): string;
    status: number;
    type: string;
    body: unknown;
    store: S3rverStore;
  };

  export type S3rverMiddleware = (context: S3rverContext, next: () => Promise<void>) => Promise<void>;

  export default class S3rver {
    constructor(options: { address?: string; port?: number; directory?: string; silent?: boolean; vhostBuckets?: boolean; configureBuckets?: { name: string }[] });
    /** Koa's middleware list, composed when the server starts. */
    middleware: S3rverMiddleware[];
    store: S3rverStore;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
