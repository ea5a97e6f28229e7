import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { BufferPool } from "./buffer-pool";
import type { ComposePart, ObjectReader, StorageBody, StoredObject } from "./types";

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

/** Bytes per read when composing, into each of the two buffers that `copyParts` reuses. */
const COMPOSE_BUFFER_BYTES = 1024 * 1024;

function keepNothing() {}

/**
 * Hands the parts' bytes to `write` in order, hashing and counting them, through two buffers it
 * reuses: one is read into while the other is being written, and at most one write is in flight.
 */
export async function copyParts({
  parts,
  openReader,
  write,
  bufferBytes = COMPOSE_BUFFER_BYTES,
}: {
  parts: ComposePart[];
  openReader: (key: string) => Promise<ObjectReader>;
  write: (bytes: Buffer) => Promise<void>;
  bufferBytes?: number;
}): Promise<StoredObject> {
  const hash = createHash("sha256");
  let sizeBytes = 0;
  const buffers = new BufferPool(2, bufferBytes);
  let writing: Promise<void> = Promise.resolve();
  const append = async (bytes: Buffer, release = keepNothing) => {
    hash.update(bytes);
    sizeBytes += bytes.length;
    await writing;
    writing = write(bytes).finally(release);
    // Awaited before the next append or at the end; until then its failure must not count as unhandled.
    writing.catch(keepNothing);
  };
  try {
    for (const part of parts) {
      if ("bytes" in part) {
        await append(part.bytes);
        continue;
      }
      const reader = await openReader(part.key);
      try {
        for (;;) {
          const { buffer, release } = await buffers.take();
          const bytesRead = await reader.readInto(buffer);
          if (bytesRead === 0) {
            release();
            break;
          }
          await append(buffer.subarray(0, bytesRead), release);
        }
      } finally {
        await reader.close();
      }
    }
    await writing;
  } catch (error) {
    await writing.catch(keepNothing);
    throw error;
  }
  return { sizeBytes, sha256: hash.digest("hex") };
}
