import { Readable } from "node:stream";
import type { ObjectReader, StorageBody } from "./types";

export function toNodeReadable(body: StorageBody): Readable {
  if (body instanceof Readable) return body;
  if (body instanceof Uint8Array) return Readable.from([body]);
  return Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
}

/** Keys are relative paths on the filesystem driver, so both drivers refuse the ones that could escape it. */
export function assertSafeKey(key: string) {
  if (key === "" || key.startsWith("/") || key.split("/").some((part) => part === "" || part === "." || part === "..")) {
    throw new Error(`Unsafe storage key: ${key}`);
  }
}

/**
 * A reader over a stream whose chunks are made anyway (a network body): each read copies what the
 * last chunk has left, or the next chunk, into the caller's buffer.
 */
export function streamReader(stream: Readable): ObjectReader {
  const chunks = stream[Symbol.asyncIterator]();
  let rest: Buffer = Buffer.alloc(0);
  return {
    async readInto(buffer) {
      while (rest.length === 0) {
        const next = await chunks.next();
        if (next.done) return 0;
        rest = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
      }
      const copied = rest.copy(buffer);
      rest = rest.subarray(copied);
      return copied;
    },
    async close() {
      stream.destroy();
    },
  };
}
