import { handleRoute, requireRouteCaller } from "@/lib/http";
import { fileVersionDownloadResponse } from "@/lib/workspace/downloads";
import { viewerOf } from "@/lib/workspace/visibility";

/** Streams one version of a file (whole, or one `Range` of it) as an attachment. */
export async function GET(request: Request, { params }: { params: Promise<{ versionId: string }> }) {
  return handleRoute(async () => {
    const caller = await requireRouteCaller("member");
    const { versionId } = await params;
    return fileVersionDownloadResponse({
      viewer: viewerOf(caller),
      versionId,
      rangeHeader: request.headers.get("range"),
      ifRangeHeader: request.headers.get("if-range"),
    });
  });
}
