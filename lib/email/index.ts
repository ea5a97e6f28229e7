import "server-only";
import { Resend } from "resend";
import { env } from "@/lib/env";
import { writeOutboxMessage } from "./outbox";

export { listOutbox, readOutboxMessage, type OutboxMessage, type OutboxSummary } from "./outbox";

export type EmailMessage = { to: string | string[]; subject: string; text: string; html: string };
export type SentEmail = { id: string; transport: "resend" | "outbox" };

export class EmailDeliveryError extends Error {}

let resendClient: Resend | undefined;

function resend(apiKey: string): Resend {
  // The SDK reads RESEND_BASE_URL from process.env itself; passing the parsed value keeps one source.
  const baseUrl = env.RESEND_BASE_URL?.replace(/\/+$/, "");
  resendClient ??= new Resend(apiKey, baseUrl ? { baseUrl } : undefined);
  return resendClient;
}

/**
 * Sends through Resend when RESEND_API_KEY is set; otherwise captures the message in the local
 * outbox (shown at /dev/outbox) so development and tests need no mail service.
 */
export async function sendEmail(message: EmailMessage): Promise<SentEmail> {
  const to = (Array.isArray(message.to) ? message.to : [message.to]).map((address) => address.trim()).filter(Boolean);
  if (to.length === 0) throw new EmailDeliveryError("The email has no recipient.");
  if (message.subject.trim() === "") throw new EmailDeliveryError("The email has no subject.");
  const email = { from: env.EMAIL_FROM, to, subject: message.subject, text: message.text, html: message.html };

  if (!env.RESEND_API_KEY) {
    return { id: await writeOutboxMessage(email), transport: "outbox" };
  }
  // The SDK reports failures in `error` instead of throwing, so an unchecked result would lose mail silently.
  const { data, error } = await resend(env.RESEND_API_KEY).emails.send(email);
  if (error) throw new EmailDeliveryError(`The email “${message.subject}” could not be sent: ${error.message}`);
  if (!data?.id) throw new EmailDeliveryError(`The email “${message.subject}” could not be sent: the mail service gave no message id.`);
  return { id: data.id, transport: "resend" };
}

/** Absolute link into the app for emails, built on APP_URL. */
export function appLink(pathname: string): string {
  return new URL(pathname, env.APP_URL).toString();
}
