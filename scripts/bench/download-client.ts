/**
 * The client bench:download measures a server with: one HTTP/1.1 GET over a plain socket, whose
 * body is read into one reused 64 KiB buffer and dropped, then one JSON line of the status, the body's
 * bytes and the seconds from connecting to the last byte. curl writes every 16 KiB it receives to
 * its output, so on a fast loopback curl itself is the bottleneck (on the 6 Dec VM it took 2.1–2.6
 * GB/s from a server that this client read at 4.5–6.3): it would measure curl, not the server.
 * 64 KiB reads stay in the CPU's cache; 1 and 4 MiB reads were slower there (3.2–3.9 GB/s).
 *
 * Usage: node --import tsx scripts/bench/download-client.ts <url> [cookie header]
 */
import net from "node:net";

const READ_BYTES = 64 * 1024;
const HEAD_END = Buffer.from("\r\n\r\n", "latin1");

const [url, cookieHeader] = process.argv.slice(2);
if (!url) throw new Error("Usage: download-client.ts <url> [cookie header]");
const target = new URL(url);
if (target.protocol !== "http:") throw new Error(`${url}: only http: is measured.`);

const startedAt = performance.now();
const readBuffer = Buffer.allocUnsafe(READ_BYTES);
let head: Buffer | undefined = Buffer.alloc(0);
let status = 0;
let contentLength = -1;
let bodyBytes = 0;

/** Takes the bytes before the blank line that ends the response's head; returns how many of `chunk` were the head's. */
function readHead(chunk: Buffer): number {
  const before = head!.length;
  head = Buffer.concat([head!, chunk]);
  const end = head.indexOf(HEAD_END);
  if (end < 0) return chunk.length;
  const lines = head.subarray(0, end).toString("latin1").split("\r\n");
  status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? 0);
  for (const line of lines.slice(1)) {
    const header = /^([^:]+):\s*(.*)$/.exec(line);
    if (header?.[1]?.toLowerCase() === "content-length") contentLength = Number(header[2]);
    if (header?.[1]?.toLowerCase() === "transfer-encoding") throw new Error(`The response is sent with Transfer-Encoding: ${header[2]}; only a Content-Length body is measured.`);
  }
  head = undefined;
  return end + HEAD_END.length - before;
}

const socket = net.connect({
  host: target.hostname,
  port: Number(target.port || 80),
  onread: {
    buffer: readBuffer,
    callback: (bytes) => {
      const headBytes = head ? readHead(readBuffer.subarray(0, bytes)) : 0;
      if (!head) bodyBytes += bytes - headBytes;
      return true;
    },
  },
});
socket.setNoDelay(true);
socket.write(
  [`GET ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`, ...(cookieHeader ? [`Cookie: ${cookieHeader}`] : []), "Connection: close", "", ""].join("\r\n"),
);
socket.on("error", (error) => {
  console.error(`${url}: ${error.message}`);
  process.exitCode = 1;
});
socket.on("end", () => {
  const seconds = (performance.now() - startedAt) / 1000;
  if (head) throw new Error(`${url} closed the connection before the end of the response's head.`);
  if (contentLength >= 0 && bodyBytes !== contentLength) throw new Error(`${url} sent ${bodyBytes} of the ${contentLength} bytes it announced.`);
  console.log(JSON.stringify({ status, bytes: bodyBytes, seconds }));
});
