/**
 * What a restarted app process does on start without an Inngest server: take over the runs a dead
 * process left and drive them to the end. Used by the crash tests, which kill it at random points.
 */
import { closeDatabase } from "@/db/connection";
import "@/inngest/index";
import { resumeOrphanedInlineRuns, waitForInlineRuns } from "@/inngest/inline-runner";

const resumed = await resumeOrphanedInlineRuns();
console.log(JSON.stringify({ resumed }));
await waitForInlineRuns();
await closeDatabase();
process.exit(0);
