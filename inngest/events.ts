import { eventType } from "inngest";
import { z } from "zod";

const backupReference = z.object({ backupId: z.uuid(), organizationId: z.uuid() });

/** Sent when a backup row has been written; starts the build. */
export const backupRequested = eventType("backup/requested", { schema: backupReference });

/** Sent when an admin cancels a running backup; the build is cancelled on it (`cancelOn`). */
export const backupCancelRequested = eventType("backup/cancel-requested", { schema: backupReference });

export const EVENT_SCHEMAS = {
  [backupRequested.name]: backupReference,
  [backupCancelRequested.name]: backupReference,
} as const;

export type AppEventName = keyof typeof EVENT_SCHEMAS;
export type AppEvent = { [Name in AppEventName]: { name: Name; data: z.output<(typeof EVENT_SCHEMAS)[Name]> } }[AppEventName];
