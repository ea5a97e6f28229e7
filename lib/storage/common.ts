import { Readable } from "node:stream";
import type { StorageBody } from "./types";

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
