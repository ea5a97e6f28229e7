import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** The client bench:download measures servers with (scripts/bench/download-client.ts), against a real server. */
const CLIENT = path.join(__dirname, "..", "scripts", "bench", "download-client.ts");
const BODY_BYTES = 3 * 1024 * 1024 + 17;

let server: http.Server;
let baseUrl: string;
const cookiesSeen: (string | undefined)[] = [];

beforeAll(async () => {
  const body = Buffer.alloc(BODY_BYTES, 7);
  server = http.createServer((request, response) => {
    cookiesSeen.push(request.headers.cookie);
    if (request.url === "/missing") {
      response.writeHead(404, { "Content-Length": 8 }).end("not here");
    } else if (request.url === "/chunked") {
      response.writeHead(200);
      response.end("no length");
    } else if (request.url === "/short") {
      // Announces more than it sends, then closes.
      response.writeHead(200, { "Content-Length": BODY_BYTES });
      response.write(body.subarray(0, 1000), () => response.socket?.destroy());
    } else {
      response.writeHead(200, { "Content-Length": BODY_BYTES });
      // Written in pieces, so the head and the body's first bytes can come in one read or several.
      for (let start = 0; start < BODY_BYTES; start += 100_000) response.write(body.subarray(start, start + 100_000));
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs the client in a child process (asynchronously: the server answers from this process). */
function download(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", CLIENT, ...args], { encoding: "utf8", cwd: path.join(__dirname, "..") }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe("bench:download's client", () => {
  it("counts the body's bytes, not the head's, sends the cookie, and times the transfer", async () => {
    const { code, stdout } = await download(`${baseUrl}/archive.zip`, "session=abc");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { status: number; bytes: number; seconds: number };
    expect(result.status).toBe(200);
    expect(result.bytes).toBe(BODY_BYTES);
    expect(result.seconds).toBeGreaterThan(0);
    expect(cookiesSeen.at(-1)).toBe("session=abc");
  });

  it("reports the status of a failed request", async () => {
    const { code, stdout } = await download(`${baseUrl}/missing`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 404, bytes: 8 });
  });

  it("refuses a body without a Content-Length, whose framing it would count as data", async () => {
    const { code, stderr } = await download(`${baseUrl}/chunked`);
    expect(code).not.toBe(0);
    expect(stderr).toContain("Transfer-Encoding: chunked");
  });

  it("fails when the server sends fewer bytes than it announced", async () => {
    const { code, stderr } = await download(`${baseUrl}/short`);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`sent 1000 of the ${BODY_BYTES} bytes it announced`);
  });
});
