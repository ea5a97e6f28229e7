import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { escapeHtml, noticeEmail, welcomeToOrganizationEmail } from "@/lib/email/templates";
import { REJECTION_MESSAGE, startResendCaptureServer, type ResendCaptureServer } from "./support/resend-capture-server";

// lib/env parses process.env once per module graph, so each case sets the variables and then
// imports a fresh copy of the email module.
async function importEmailModule(variables: { RESEND_API_KEY?: string; RESEND_BASE_URL?: string }) {
  for (const name of ["RESEND_API_KEY", "RESEND_BASE_URL"] as const) {
    if (variables[name] === undefined) delete process.env[name];
    else process.env[name] = variables[name];
  }
  vi.resetModules();
  return import("@/lib/email");
}

const notice = noticeEmail({
  organizationName: "Demo Co",
  subject: "Your Demo Co backup is ready",
  heading: "Your backup is ready",
  paragraphs: ["The backup “Weekly <all>” finished."],
  details: [["Size", "1.2 MiB"]],
  action: { label: "Open the backup", url: "http://localhost:3000/settings/backups/1" },
});

let server: ResendCaptureServer;

beforeAll(async () => {
  server = await startResendCaptureServer();
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
  server.mode = "accept";
});

describe("sendEmail through the real Resend SDK", () => {
  it("posts the message to RESEND_BASE_URL with the API key and returns Resend's id", async () => {
    const { sendEmail } = await importEmailModule({ RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: server.url });
    const sent = await sendEmail({ to: "owner@demo.test", ...notice });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.authorization).toBe("Bearer re_test_key");
    expect(request!.body).toMatchObject({
      to: ["owner@demo.test"],
      subject: "Your Demo Co backup is ready",
      text: notice.text,
      html: notice.html,
      from: "Archivist <archivist@localhost>",
    });
    expect(sent).toEqual({ id: request!.answeredId, transport: "resend" });
  });

  it("turns Resend's error answer into a thrown error with a plain message", async () => {
    server.mode = "reject";
    const { sendEmail, EmailDeliveryError } = await importEmailModule({ RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: server.url });
    const attempt = sendEmail({ to: "not-an-address", ...notice });
    await expect(attempt).rejects.toBeInstanceOf(EmailDeliveryError);
    await expect(attempt).rejects.toThrow(`The email “Your Demo Co backup is ready” could not be sent: ${REJECTION_MESSAGE}`);
    expect(server.requests).toHaveLength(1);
  });

  it("throws when the mail service cannot be reached at all", async () => {
    const closed = await startResendCaptureServer();
    await closed.close();
    const { sendEmail } = await importEmailModule({ RESEND_API_KEY: "re_test_key", RESEND_BASE_URL: closed.url });
    await expect(sendEmail({ to: "owner@demo.test", ...notice })).rejects.toThrow(/could not be sent/);
  });
});

describe("sendEmail without an API key", () => {
  it("writes the message to the outbox, where listOutbox and readOutboxMessage find it", async () => {
    const { sendEmail, listOutbox, readOutboxMessage } = await importEmailModule({});
    const first = await sendEmail({ to: "admin@demo.test", subject: "First", text: "one", html: "<p>one</p>" });
    const second = await sendEmail({ to: ["owner@demo.test", "member@demo.test"], ...notice });

    expect(first.transport).toBe("outbox");
    expect(server.requests).toHaveLength(0);
    const outboxDir = process.env.OUTBOX_DIR!;
    const names = fs.readdirSync(outboxDir);
    expect(names).toContain(`${second.id}.json`);
    expect(names.every((name) => name.endsWith(".json"))).toBe(true);

    const listed = await listOutbox();
    expect(listed.map((message) => message.id).slice(0, 2)).toEqual([second.id, first.id]);
    expect(listed[0]).toMatchObject({ to: ["owner@demo.test", "member@demo.test"], subject: "Your Demo Co backup is ready" });

    const stored = await readOutboxMessage(second.id);
    expect(stored).toMatchObject({ id: second.id, text: notice.text, html: notice.html, from: "Archivist <archivist@localhost>" });
    expect(JSON.parse(fs.readFileSync(path.join(outboxDir, `${second.id}.json`), "utf8")).subject).toBe(notice.subject);
  });

  it("finds nothing for unknown or path-like ids", async () => {
    const { readOutboxMessage } = await importEmailModule({});
    expect(await readOutboxMessage("../../etc/passwd")).toBeNull();
    expect(await readOutboxMessage("20990101T000000000Z-00000000")).toBeNull();
  });

  it("refuses a message without a recipient", async () => {
    const { sendEmail } = await importEmailModule({});
    await expect(sendEmail({ to: "  ", subject: "Hi", text: "x", html: "x" })).rejects.toThrow("The email has no recipient.");
  });
});

describe("email templates", () => {
  it("escape every interpolated value in the HTML and keep it readable in the text", () => {
    const email = welcomeToOrganizationEmail({
      recipientName: `<img src=x onerror="alert(1)">`,
      organizationName: "Tom & Jerry's <Co>",
      role: "admin",
      invitedBy: "Olivia",
      signInUrl: "http://localhost:3000/login?next=/folders&x=\"1\"",
    });
    expect(email.subject).toBe("You have joined Tom & Jerry's <Co> on Archivist");
    expect(email.html).not.toContain("<img");
    expect(email.html).not.toContain("<Co>");
    expect(email.html).toContain(escapeHtml("Tom & Jerry's <Co>"));
    expect(email.html).toContain('href="http://localhost:3000/login?next=/folders&amp;x=%221%22"');
    expect(email.text).toContain(`Hello <img src=x onerror="alert(1)">,`);
    expect(email.text).toContain("Open Archivist: http://localhost:3000/login");
  });

  it("render details rows and refuse non-http links", () => {
    expect(notice.text).toContain("Size: 1.2 MiB");
    expect(notice.html).toContain("Weekly &lt;all&gt;");
    expect(() =>
      noticeEmail({ organizationName: "Demo Co", subject: "x", heading: "x", paragraphs: [], action: { label: "x", url: "javascript:alert(1)" } }),
    ).toThrow(/javascript/);
  });
});
