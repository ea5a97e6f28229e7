import { expireBackups } from "@/lib/backups/expiry";
import { inngest } from "../client";

/** Hourly: ready backups past their 7 days become `expired` and their archives are deleted. */
export const expireBackupsFunction = inngest.createFunction(
  { id: "expire-backups", name: "Expire old backups", triggers: [{ cron: "0 * * * *" }] },
  async ({ step }) => step.run("expire-due-backups", () => expireBackups({ now: new Date() })),
);
