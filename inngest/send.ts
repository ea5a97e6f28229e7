import "server-only";
import { inngest, inngestServerConfigured } from "./client";
import { EVENT_SCHEMAS, type AppEvent } from "./events";
import "./index";
import { dispatchInline } from "./inline-runner";

/**
 * Sends an event to the Inngest server when one is configured; otherwise hands it to the in-process
 * runner, which starts (or cancels) the same functions the server would. The event is validated
 * against its zod schema either way.
 */
export async function sendEvent(event: AppEvent): Promise<void> {
  const data = EVENT_SCHEMAS[event.name].parse(event.data);
  if (inngestServerConfigured()) {
    await inngest.send({ name: event.name, data });
    return;
  }
  await dispatchInline({ name: event.name, data });
}
