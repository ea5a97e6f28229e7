import type { Readable } from "node:stream";

export type StoredObject = { sizeBytes: number; sha256: string };
export type ByteRange = { start: number; end: number };
export type StorageBody = Readable | ReadableStream<Uint8Array> | Uint8Array;
/**
 * An object's bytes read front to back into buffers the caller owns: `readInto` fills (part of) the
 * buffer and says how many bytes it put there, 0 at the end. A caller that reuses its buffers makes
 * no garbage per read, where a stream allocates a new buffer for every chunk.
 */
export type ObjectReader = { readInto(buffer: Buffer): Promise<number>; close(): Promise<void> };
/** A piece of a composed object: a stored object (copied whole) or bytes given here. */
export type ComposePart = { key: string } | { bytes: Buffer };

export interface StorageDriver {
  /** Writes the whole body or nothing: an aborted or oversized write leaves no object behind. */
  put(key: string, body: StorageBody, options?: { maxBytes?: number }): Promise<StoredObject>;
  /**
   * Stores a local file as `key`, whole or nothing, and gives its size. The file is handed over:
   * moved into place where it can be (a filesystem driver on the same filesystem: no copy, no
   * second hash of bytes its writer already hashed), else copied; the caller removes what is left.
   */
  putFile(key: string, filePath: string): Promise<{ sizeBytes: number }>;
  /** Streams the object (or an inclusive byte range of it); throws ObjectNotFoundError when absent. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /**
   * Opens the object (or an inclusive byte range of it) for reading into the caller's buffers;
   * throws ObjectNotFoundError when absent.
   */
  openReader(key: string, range?: ByteRange): Promise<ObjectReader>;
  stat(key: string): Promise<{ sizeBytes: number } | null>;
  /**
   * Writes `key` as its parts one after another, whole or nothing, and returns its size and sha256.
   * Backups assemble their archive this way from segments (on S3: a multipart upload that copies
   * the stored parts server-side).
   */
  compose(key: string, parts: ComposePart[]): Promise<StoredObject>;
  delete(key: string): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`No stored object at ${key}`);
  }
}

export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The upload is larger than the limit of ${maxBytes} bytes`);
  }
}

export class EmptyObjectError extends Error {
  constructor() {
    super("The upload is empty");
  }
}
