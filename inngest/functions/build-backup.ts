import { NonRetriableError } from "inngest";
import { assembleArchive, explainFailures, failBackup, packBatch, sendBackupReadyEmail, takeSnapshot } from "@/lib/backups/build";
import { inngest } from "../client";
import { backupCancelRequested, backupRequested } from "../events";

const nonRetriable = (message: string) => new NonRetriableError(message);

/**
 * Builds a backup (SPEC §3): snapshot and count → one step per batch of file versions → assemble
 * the archive → email the requester. One run per organization; a cancel event stops it between
 * steps; after the last retry `onFailure` marks it failed, removes what was written and emails.
 */
export const buildBackup = inngest.createFunction(
  {
    id: "build-backup",
    name: "Build a backup",
    triggers: [backupRequested],
    singleton: { key: "event.data.organizationId", mode: "skip" },
    cancelOn: [{ event: backupCancelRequested.name, match: "data.backupId" }],
    retries: 3,
    onFailure: async ({ event, step }) => {
      const { backupId } = event.data.event.data as { backupId: string };
      await step.run("mark-failed-and-notify", () => failBackup({ backupId }));
    },
  },
  async ({ event, step }) => {
    const { backupId } = event.data;
    const snapshot = await step.run("take-snapshot", () => explainFailures(backupId, () => takeSnapshot({ backupId }), nonRetriable));
    if ("cancelled" in snapshot) return { status: "cancelled" };

    for (const batch of snapshot.batches) {
      const packed = await step.run(`pack-batch-${batch.seq}`, () =>
        explainFailures(backupId, () => packBatch({ backupId, batch, snapshotAt: snapshot.snapshotAt }), nonRetriable),
      );
      if ("cancelled" in packed) return { status: "cancelled" };
    }

    const archive = await step.run("assemble-archive", () =>
      explainFailures(
        backupId,
        () => assembleArchive({ backupId, snapshotAt: snapshot.snapshotAt, versionsCount: snapshot.versionsCount, filesCount: snapshot.filesCount }),
        nonRetriable,
      ),
    );
    if ("cancelled" in archive) return { status: "cancelled" };

    await step.run("send-ready-email", () => sendBackupReadyEmail({ backupId }));
    return { status: "ready", sizeBytes: archive.sizeBytes, sha256: archive.sha256 };
  },
);
