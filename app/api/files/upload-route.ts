import "server-only";
import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { handleRoute, requireRouteCaller } from "@/lib/http";
import { parseDeclaredLength, type UploadResult } from "@/lib/workspace/uploads";
import { clientAddress } from "@/lib/client-address";
import { viewerOf, type Viewer } from "@/lib/workspace/visibility";

export type UploadRequestInput = {
  viewer: Viewer;
  body: ReadableStream<Uint8Array> | null;
  fileName: string;
  contentType: string | null;
  declaredLength: number | null;
  ipAddress: string | null;
};

/**
 * A cookie-authenticated upload must come from this app's own pages: browsers always send Origin
 * on a cross-site POST, and the required X-File-Name header already forces a CORS preflight.
 */
function assertSameOrigin(request: Request) {
  const origin = request.headers.get("origin");
  if (!origin) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("forbidden", "Uploads are only accepted from this application's own pages.");
  }
  const allowedHosts = [request.headers.get("host"), request.headers.get("x-forwarded-host"), new URL(env.APP_URL).host];
  if (!allowedHosts.includes(originHost)) {
    throw new AppError("forbidden", "Uploads are only accepted from this application's own pages.");
  }
}

/** The shared shape of the three upload routes: the raw request body is the file and is streamed, never buffered. */
export function handleUploadRequest(request: Request, upload: (input: UploadRequestInput) => Promise<UploadResult>) {
  return handleRoute(async () => {
    const caller = await requireRouteCaller("member");
    assertSameOrigin(request);
    const fileName = request.headers.get("x-file-name");
    if (!fileName) throw new AppError("invalid_input", "Send the file's name in the X-File-Name header.", { field: "file" });
    const result = await upload({
      viewer: viewerOf(caller),
      body: request.body,
      fileName,
      contentType: request.headers.get("content-type"),
      declaredLength: parseDeclaredLength(request.headers.get("content-length")),
      ipAddress: clientAddress(request.headers.get("x-forwarded-for")),
    });
    return NextResponse.json(result, { status: 201 });
  });
}
