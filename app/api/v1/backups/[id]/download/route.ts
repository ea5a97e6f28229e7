import { authenticateApiRequest } from "@/lib/api/authenticate";
import { backupDownloadForRequest } from "@/lib/backups/download";
import { handleRoute } from "@/lib/http";

/** Streams a ready backup's archive; `Range` resumes an interrupted download. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handleRoute(async () => {
    const caller = await authenticateApiRequest(request);
    const { id } = await params;
    return backupDownloadForRequest({ caller, backupId: id, request });
  });
}
