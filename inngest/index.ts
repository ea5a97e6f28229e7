import { buildBackup } from "./functions/build-backup";
import { expireBackupsFunction } from "./functions/expire-backups";
import { registerInlineFunctions } from "./inline-runner";

/** Every function of the app: served at /api/inngest and, without an Inngest server, run in-process. */
export const functions = [buildBackup, expireBackupsFunction];

registerInlineFunctions(functions);
