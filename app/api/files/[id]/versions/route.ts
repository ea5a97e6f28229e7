import { handleUploadRequest } from "@/app/api/files/upload-route";
import { uploadNewVersion } from "@/lib/workspace/uploads";

/** Adds the request body as the file's next version. */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleUploadRequest(request, (input) => uploadNewVersion({ ...input, fileId: id }));
}
