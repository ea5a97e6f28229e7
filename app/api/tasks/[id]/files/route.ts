import { handleUploadRequest } from "@/app/api/files/upload-route";
import { uploadNewFile } from "@/lib/workspace/uploads";

/** Attaches a file to the task; the request body is the file's content (version 1). */
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleUploadRequest(request, (input) => uploadNewFile({ ...input, parent: { type: "task", id } }));
}
