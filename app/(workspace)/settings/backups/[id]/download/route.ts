import { getCaller } from "@/lib/auth/caller";
import { backupDownloadForRequest } from "@/lib/backups/download";
import { AppError } from "@/lib/errors";
import { handleRoute } from "@/lib/http";

/** The detail page's "Download" link: the archive streamed from storage, whole or one `Range` of it. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleRoute(async () => {
    const caller = await getCaller();
    if (!caller) throw new AppError("unauthenticated", "Sign in to download this backup.");
    const { id } = await params;
    return backupDownloadForRequest({ caller, backupId: id, request });
  });
}
