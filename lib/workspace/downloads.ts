import "server-only";
import { finished, type Readable } from "node:stream";
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

  return storedObjectResponse({
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
}

/**
 * Streams a stored object, whole or one byte range of it, straight from storage: the bytes are
 * never gathered in memory. If-Range must name the ETag a resumed download started with, so bytes
 * of different content are never spliced together. `beforeServing` runs once the object is known
 * to be there (e.g. to record the download).
 */
export async function storedObjectResponse({
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
}): Promise<Response> {
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
    return new Response(
      JSON.stringify({ error: { code: "range_not_satisfiable", message: `The requested range is outside the file, which has ${size} bytes.` } }),
      { status: 416, headers },
    );
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
  const body = webStreamOf(content);
  if (byteRange) {
    headers.set("Content-Range", `bytes ${byteRange.start}-${byteRange.end}/${size}`);
    headers.set("Content-Length", String(byteRange.end - byteRange.start + 1));
    return new Response(body, { status: 206, headers });
  }
  headers.set("Content-Length", String(size));
  return new Response(body, { status: 200, headers });
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
