import { Inngest } from "inngest";

/**
 * The one Inngest client. With INNGEST_DEV (or INNGEST_BASE_URL) it talks to a dev or self-hosted
 * server, with INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY to Inngest Cloud; with none of them set the
 * same functions run in-process (see ./inline-runner.ts).
 */
export const inngest = new Inngest({ id: "archivist" });

/** Whether an Inngest server (dev, self-hosted or cloud) is configured to receive events. */
export function inngestServerConfigured(environment: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(environment.INNGEST_DEV || environment.INNGEST_BASE_URL || environment.INNGEST_EVENT_KEY);
}
