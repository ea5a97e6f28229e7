import "server-only";
import type { ServerResponse } from "node:http";
import { finished, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { findVisibleFileVersion } from "@/db/queries/files";
import { AppError } from "@/lib/errors";
import { ObjectNotFoundError, storage, type ByteRange } from "@/lib/storage";
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
 * the storage stream itself or, for a 416, the JSON error. Route handlers turn it into a Response
 * (webResponseOf); a Pages API route writes it to the Node response (sendStoredObject).
 */
export type StoredObjectReply = { status: 200 | 206 | 416; headers: Headers; body: Readable | string };

/**
 * Decides how to serve a stored object, whole or one byte range of it, and opens the storage stream
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
  let content: Readable;
  try {
    content = await storage().read(storageKey, byteRange);
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

/**
 * Writes a reply to a Node response: its headers as they are, Content-Length included, so browsers
 * show the size and progress of a download; and the storage stream piped straight into the socket,
 * so a slow client holds back the reads and memory stays flat.
 */
export async function sendStoredObject(res: ServerResponse, { status, headers, body }: StoredObjectReply): Promise<void> {
  res.statusCode = status;
  for (const [name, value] of headers) res.setHeader(name, value);
  if (typeof body === "string") {
    res.end(body);
    return;
  }
  if (res.req.method === "HEAD") {
    // Node would discard the bytes of a HEAD response, but only after reading them all from storage.
    body.destroy();
    res.end();
    return;
  }
  try {
    await pipeline(body, res);
  } catch (error) {
    // A client that goes away mid-download is no fault of ours; the response is cut off either way.
    if ((error as NodeJS.ErrnoException).code !== "ERR_STREAM_PREMATURE_CLOSE") console.error("Download failed", error);
  }
}

/**
 * The storage stream as a response body, handing its chunks on as they are. Node's Readable.toWeb
 * copies every chunk into a new zero-filled array, which halved the download rate. Nothing queues
 * here: a chunk is taken from `content` only when the response asks for one, so the read-ahead is
 * what `content` buffers itself (one read, on the filesystem) and memory stays flat. Queueing a few
 * MiB more made it slower, not faster: chunks that wait live long enough to reach V8's old
 * generation, and the server then spends seconds per download in full garbage collections.
 */
function webStreamOf(content: Readable): ReadableStream<Uint8Array> {
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        content.pause();
        content.on("data", (chunk: Uint8Array) => {
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) content.pause();
        });
        const stopWatching = finished(content, (error) => {
          stopWatching();
          // A late error from a stream that broke the rules would otherwise be unhandled.
          content.on("error", () => {});
          if (error) controller.error(error);
          else if (!cancelled) controller.close();
        });
      },
      pull() {
        content.resume();
      },
      cancel(reason) {
        cancelled = true;
        content.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
