import type { NextApiRequest, NextApiResponse } from "next";
import { authenticateApiRequest } from "@/lib/api/authenticate";
import type { Caller } from "@/lib/auth/caller";
import { backupDownloadForRequest } from "@/lib/backups/download";
import { notFound } from "@/lib/errors";
import { handleNodeRoute, nodeRequestCaller, requireRouteCaller, webRequestOf } from "@/lib/http";
import { sendStoredObject } from "@/lib/workspace/downloads";

// Archives are GBs: there is no body to parse, and no reason to warn about responses over 4 MB.
export const config = { api: { bodyParser: false, responseLimit: false } };

/**
 * A backup's archive, whole or one `Range` of it, for the two public URLs that next.config.ts
 * rewrites here: /settings/backups/<id>/download (surface "settings") and
 * /api/v1/backups/<id>/download (surface "api"). A Pages API route rather than route handlers
 * because it writes the Node response itself: Next drops a route handler's Content-Length, so
 * browsers showed no size or progress for a multi-GB download.
 */
export default async function backupDownload(req: NextApiRequest, res: NextApiResponse) {
  // What Next answers for a route handler that exports only GET.
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("Allow", "GET, HEAD, OPTIONS");
    res.status(req.method === "OPTIONS" ? 204 : 405).end();
    return;
  }
  await handleNodeRoute(res, async () => {
    const request = webRequestOf(req);
    const caller = await callerFor(req.query.surface, request, () => nodeRequestCaller(req, res));
    await sendStoredObject(res, await backupDownloadForRequest({ caller, backupId: String(req.query.id), request }));
  });
}

function callerFor(surface: unknown, request: Request, session: () => Promise<Caller | null>): Promise<Caller> {
  // Scripts use an API token; the API also takes the session, as every /api/v1 endpoint does.
  if (surface === "api") return authenticateApiRequest(request, session);
  // The detail page's link: the session only, like the page. Who may download is the backup
  // service's rule (admins and owners; 404 for anyone else).
  if (surface === "settings") return requireRouteCaller("member", session);
  throw notFound("That page");
}
