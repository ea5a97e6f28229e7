import { backupDownloadForRequest } from "@/lib/backups/download";
import { handleRoute, requireRouteCaller } from "@/lib/http";

/** The detail page's "Download" link: the archive streamed from storage, whole or one `Range` of it. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleRoute(async () => {
    // Who may download is the backup service's rule (admins and owners; 404 for anyone else).
    const caller = await requireRouteCaller("member");
    const { id } = await params;
    return backupDownloadForRequest({ caller, backupId: id, request });
  });
}
