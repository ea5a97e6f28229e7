import "server-only";
import type { ServerResponse } from "node:http";
import { finished } from "node:stream/promises";
import { z } from "zod";
import { findVisibleFileVersion } from "@/db/queries/files";
import { AppError } from "@/lib/errors";
import { ObjectNotFoundError, storage, type ByteRange, type ObjectReader } from "@/lib/storage";
import { BufferPool } from "@/lib/storage/buffer-pool";
import type { Viewer } from "@/lib/workspace/visibility";

export type RangeResolution =
  | { kind: "full" }
  | { kind: "partial"; start: number; end: number }
  | { kind: "unsatisfiable" };

/**
 * Interprets a Range header against an object of `size` bytes. One `bytes=` range is served
 * (`a-b`, `a-`, `-suffix`); a header we do not serve — another unit, several ranges, or one that
 * is not a byte range at all — is ignored as RFC 9110 allows, so the whole object is sent.
 */
export function resolveRange(header: string | null | undefined, size: number): RangeResolution {
  if (!header) return { kind: "full" };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: "full" };
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return { kind: "full" };
  if (first === "") {
    const suffixLength = Number(last);
    if (suffixLength === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, size - suffixLength), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || (last !== "" && Number(last) < start)) return { kind: "unsatisfiable" };
  return { kind: "partial", start, end };
}

/**
 * `attachment` with the name twice: RFC 5987's `filename*` carries it exactly for every current
 * browser, and a plain-ASCII `filename` stands in for clients that only read that one.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, "_").trim() || "download";
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function missingContent(name: string, version: number) {
  return new AppError(
    "not_found",
    `The content of "${name}" (version ${version}) is missing from storage. Upload that version again or ask an administrator to restore it.`,
  );
}

/**
 * Streams one version of a file the viewer may see, whole or one byte range of it, straight from
 * storage: the bytes are never gathered in memory.
 */
export async function fileVersionDownloadResponse({
  viewer,
  versionId,
  rangeHeader,
  ifRangeHeader,
}: {
  viewer: Viewer;
  versionId: string;
  rangeHeader?: string | null;
  ifRangeHeader?: string | null;
}): Promise<Response> {
  const found = z.uuid().safeParse(versionId).success ? await findVisibleFileVersion({ viewer, versionId }) : undefined;
  if (!found) throw new AppError("not_found", "That file version was not found.");
  const { file, version } = found;

  const reply = await storedObjectReply({
    storageKey: version.storageKey,
    etag: `"${version.sha256}"`,
    rangeHeader,
    ifRangeHeader,
    headers: {
      "Cache-Control": "private, no-cache",
      "Content-Disposition": attachmentDisposition(file.name),
      "Content-Type": file.contentType,
      "Last-Modified": version.uploadedAt.toUTCString(),
    },
    missing: () => missingContent(file.name, version.version),
  });
  return webResponseOf(reply);
}

/**
 * How a stored object is served: the status and headers (Content-Length included) and the body,
 * a reader of the stored bytes or, for a 416, the JSON error. Route handlers turn it into a Response
 * (webResponseOf); a Pages API route writes it to the Node response (sendStoredObject).
 */
export type StoredObjectReply = { status: 200 | 206 | 416; headers: Headers; body: ObjectReader | string };

/**
 * Decides how to serve a stored object, whole or one byte range of it, and opens a storage reader
 * for it: the bytes are never gathered in memory. If-Range must name the ETag a resumed download
 * started with, so bytes of different content are never spliced together. `beforeServing` runs once
 * the object is known to be there (e.g. to record the download).
 */
export async function storedObjectReply({
  storageKey,
  etag,
  rangeHeader,
  ifRangeHeader,
  headers: extraHeaders,
  missing,
  beforeServing,
}: {
  storageKey: string;
  etag: string;
  rangeHeader?: string | null;
  ifRangeHeader?: string | null;
  headers: Record<string, string>;
  missing: () => AppError;
  beforeServing?: (range: ByteRange | undefined) => Promise<void>;
}): Promise<StoredObjectReply> {
  const stat = await storage().stat(storageKey);
  if (!stat) throw missing();
  const size = stat.sizeBytes;
  const rangeApplies = !ifRangeHeader || ifRangeHeader.trim() === etag;
  const range = rangeApplies ? resolveRange(rangeHeader, size) : { kind: "full" as const };
  const headers = new Headers({ "Accept-Ranges": "bytes", ETag: etag, "X-Content-Type-Options": "nosniff", ...extraHeaders });

  if (range.kind === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    headers.set("Content-Type", "application/json");
    headers.delete("Content-Disposition");
    const body = JSON.stringify({
      error: { code: "range_not_satisfiable", message: `The requested range is outside the file, which has ${size} bytes.` },
    });
    return { status: 416, headers, body };
  }

  const byteRange = range.kind === "partial" ? { start: range.start, end: range.end } : undefined;
  let content: ObjectReader;
  try {
    content = await storage().openReader(storageKey, byteRange);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) throw missing();
    throw error;
  }
  await beforeServing?.(byteRange);
  if (byteRange) {
    headers.set("Content-Range", `bytes ${byteRange.start}-${byteRange.end}/${size}`);
    headers.set("Content-Length", String(byteRange.end - byteRange.start + 1));
    return { status: 206, headers, body: content };
  }
  headers.set("Content-Length", String(size));
  return { status: 200, headers, body: content };
}

/** A reply as a route handler's Response. Next sends that chunked: it drops Content-Length. */
export function webResponseOf({ status, headers, body }: StoredObjectReply): Response {
  return new Response(typeof body === "string" ? body : webStreamOf(body), { status, headers });
}

/** Bytes per read from storage while a download is served. */
const DOWNLOAD_READ_BYTES = 1024 * 1024;
/** How many reads a Node response may have handed to the socket and not yet seen written. */
const DOWNLOAD_BUFFERS = 4;

function isPrematureClose(error: unknown) {
  return (error as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE";
}

/**
 * Writes a reply to a Node response: its headers as they are, Content-Length included, so browsers
 * show the size and progress of a download. The bytes are read into four 1 MiB buffers that are
 * reused, each once the socket has taken what was written from it, so a slow client holds back the
 * reads and a download makes no garbage. With a new buffer per chunk (a file stream piped into the
 * response), V8 ran a full collection every 50 ms or so in some server processes, which then served
 * 450–700 MiB/s where others served 2,000.
 */
export async function sendStoredObject(res: ServerResponse, { status, headers, body }: StoredObjectReply): Promise<void> {
  res.statusCode = status;
  for (const [name, value] of headers) res.setHeader(name, value);
  if (typeof body === "string") {
    res.end(body);
    return;
  }
  try {
    // Node would discard the bytes of a HEAD response, but only after they were all read.
    if (res.req.method !== "HEAD") await writeReader(res, body);
    res.end();
    await finished(res);
  } catch (error) {
    res.destroy();
    // A client that goes away mid-download is no fault of ours; the response is cut off either way.
    if (!isPrematureClose(error)) console.error("Download failed", error);
  } finally {
    await body.close();
  }
}

async function writeReader(res: ServerResponse, reader: ObjectReader) {
  const buffers = new BufferPool(DOWNLOAD_BUFFERS, DOWNLOAD_READ_BYTES);
  // A closed connection may never call back for the writes it still held: stop waiting for them.
  const closed = new Promise<"closed">((resolve) => res.once("close", () => resolve("closed")));
  for (;;) {
    const taken = await Promise.race([buffers.take(), closed]);
    if (taken === "closed" || res.destroyed) throw Object.assign(new Error("The client closed the connection."), { code: "ERR_STREAM_PREMATURE_CLOSE" });
    const bytesRead = await reader.readInto(taken.buffer);
    if (bytesRead === 0) return;
    res.write(taken.buffer.subarray(0, bytesRead), taken.release);
  }
}

/**
 * The stored bytes as a route handler's response body. The body keeps each chunk it is given, so
 * every read gets a new buffer; a read happens only when the response asks for a chunk, so nothing
 * queues and memory stays flat.
 */
function webStreamOf(reader: ObjectReader): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const buffer = Buffer.allocUnsafe(DOWNLOAD_READ_BYTES);
          const bytesRead = await reader.readInto(buffer);
          if (bytesRead > 0) {
            controller.enqueue(buffer.subarray(0, bytesRead));
            return;
          }
          controller.close();
        } catch (error) {
          controller.error(error);
        }
        await reader.close();
      },
      async cancel() {
        await reader.close();
      },
    },
    { highWaterMark: 0 },
  );
}
