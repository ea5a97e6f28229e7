import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { storage, type ObjectReader } from "@/lib/storage";
import { sendStoredObject, type StoredObjectReply } from "@/lib/workspace/downloads";

// Read through the storage the app selects: the filesystem here, S3 in vitest.s3.config.ts.
const content = randomBytes(5 * 1024 * 1024 + 123);
const key = "backups/send-stored-object/archive.zip";
let server: http.Server;
let baseUrl: string;
let serve: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

/** A reader that counts its reads and closes, and can fail once it has read `failAfterBytes`. */
function watched(reader: ObjectReader, failAfterBytes = Number.POSITIVE_INFINITY) {
  const seen = { bytesRead: 0, reads: 0, closes: 0 };
  const wrapped: ObjectReader = {
    async readInto(buffer) {
      if (seen.bytesRead >= failAfterBytes) throw new Error("storage went away");
      seen.reads += 1;
      const bytesRead = await reader.readInto(buffer);
      seen.bytesRead += bytesRead;
      return bytesRead;
    },
    async close() {
      seen.closes += 1;
      await reader.close();
    },
  };
  return { reader: wrapped, seen };
}

function reply(body: ObjectReader, status: 200 | 206 = 200, length = content.length): StoredObjectReply {
  return { status, headers: new Headers({ "Content-Length": String(length), "Content-Type": "application/zip" }), body };
}

/** Serves one request with `handle` and resolves once sendStoredObject has returned. */
function serveOnce(handle: (res: http.ServerResponse) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    serve = async (_req, res) => {
      try {
        await handle(res);
        resolve();
      } catch (error) {
        reject(error);
      }
    };
  });
}

beforeAll(async () => {
  await storage().put(key, content);
  server = http.createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await storage().delete(key);
});

describe("sendStoredObject", () => {
  it("sends every byte with its Content-Length, and closes the reader", async () => {
    const { reader, seen } = watched(await storage().openReader(key));
    const sent = serveOnce((res) => sendStoredObject(res, reply(reader)));
    const response = await fetch(`${baseUrl}/archive.zip`);
    expect(response.headers.get("content-length")).toBe(String(content.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
    await sent;
    expect(seen.closes).toBe(1);
  });

  it("sends a byte range read from storage", async () => {
    const range = { start: 1024 * 1024 - 1, end: 3 * 1024 * 1024 + 7 };
    const sent = serveOnce(async (res) => sendStoredObject(res, reply(await storage().openReader(key, range), 206, range.end - range.start + 1)));
    const response = await fetch(`${baseUrl}/archive.zip`);
    expect(response.status).toBe(206);
    expect(Buffer.from(await response.arrayBuffer()).equals(content.subarray(range.start, range.end + 1))).toBe(true);
    await sent;
  });

  it("answers HEAD with the headers only, reading nothing", async () => {
    const { reader, seen } = watched(await storage().openReader(key));
    const sent = serveOnce((res) => sendStoredObject(res, reply(reader)));
    const response = await fetch(`${baseUrl}/archive.zip`, { method: "HEAD" });
    expect(response.headers.get("content-length")).toBe(String(content.length));
    await sent;
    expect(seen).toEqual({ bytesRead: 0, reads: 0, closes: 1 });
  });

  it("stops reading and returns when the client goes away mid-download", async () => {
    const { reader, seen } = watched(await storage().openReader(key));
    const failure = vi.spyOn(console, "error");
    const sent = serveOnce((res) => sendStoredObject(res, reply(reader)));
    await new Promise<void>((resolve) => {
      http.get(`${baseUrl}/archive.zip`, (response) => {
        response.once("data", () => {
          response.destroy();
          resolve();
        });
      });
    });
    await sent;
    expect(seen.closes).toBe(1);
    expect(seen.bytesRead).toBeLessThan(content.length);
    expect(failure).not.toHaveBeenCalled();
    failure.mockRestore();
  });

  it("cuts the response off, and says why in the log, when storage fails mid-download", async () => {
    const { reader, seen } = watched(await storage().openReader(key), 2 * 1024 * 1024);
    const failure = vi.spyOn(console, "error").mockImplementation(() => {});
    const sent = serveOnce((res) => sendStoredObject(res, reply(reader)));
    const received = await new Promise<{ bytes: number; complete: boolean }>((resolve) => {
      http.get(`${baseUrl}/archive.zip`, (response) => {
        let bytes = 0;
        response.on("data", (chunk: Buffer) => (bytes += chunk.length));
        response.on("close", () => resolve({ bytes, complete: response.complete }));
      });
    });
    await sent;
    expect(received.complete).toBe(false);
    expect(received.bytes).toBeLessThan(content.length);
    expect(seen.closes).toBe(1);
    expect(failure).toHaveBeenCalledWith("Download failed", expect.objectContaining({ message: "storage went away" }));
    failure.mockRestore();
  });
});
