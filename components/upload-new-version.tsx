import { env } from "@/lib/env";
import { FileUploader } from "./file-uploader";

/** Upload form that adds the next version of an existing file. */
export function UploadNewVersion({ fileId, maxBytes = env.UPLOAD_MAX_BYTES }: { fileId: string; maxBytes?: number }) {
  return (
    <FileUploader
      uploadUrl={`/api/files/${encodeURIComponent(fileId)}/versions`}
      maxBytes={maxBytes}
      submitLabel="Upload new version"
      linkToNewFile={false}
    />
  );
}
