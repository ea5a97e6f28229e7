import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type CapturedEmailRequest = {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
  /** The id the server answered with, when it accepted the email. */
  answeredId?: string;
};

export type ResendCaptureServer = {
  /** Base URL to give the Resend SDK as RESEND_BASE_URL. */
  url: string;
  requests: CapturedEmailRequest[];
  /** "accept" answers like Resend does for a sent email; "reject" like it does for invalid input. */
  mode: "accept" | "reject";
  close: () => Promise<void>;
};

export const REJECTION_MESSAGE = "Invalid `to` field. The email address needs to follow the `email@example.com` format.";

/**
 * A stand-in for the Resend API, recording every POST /emails body. `GET /captured` answers the
 * recorded bodies as JSON, for tests that run in another process than the server (the browser tests).
 * Listens on a free port unless one is given.
 */
export async function startResendCaptureServer({ port: requestedPort = 0 }: { port?: number } = {}): Promise<ResendCaptureServer> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (request.method === "GET" && request.url === "/captured") {
        reply(200, capture.requests.map((captured) => captured.body));
        return;
      }
      if (request.method !== "POST" || request.url !== "/emails") {
        reply(404, { statusCode: 404, name: "not_found", message: "The requested endpoint does not exist." });
        return;
      }
      const captured: CapturedEmailRequest = {
        path: request.url,
        authorization: request.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
      };
      capture.requests.push(captured);
      if (capture.mode === "reject") {
        reply(422, { statusCode: 422, name: "validation_error", message: REJECTION_MESSAGE });
        return;
      }
      captured.answeredId = randomUUID();
      reply(200, { id: captured.answeredId });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(requestedPort, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const capture: ResendCaptureServer = {
    url: `http://127.0.0.1:${port}`,
    requests: [],
    mode: "accept",
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
  return capture;
}
