"use client";

import Link from "next/link";
import { useId, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Alert, buttonClass, formatBytes, inputClass } from "./ui";

type UploadState =
  | { status: "idle" }
  | { status: "uploading"; loaded: number; total: number }
  | { status: "error"; message: string }
  | { status: "success"; message: string; fileHref?: string };

type UploadReply = { file: { id: string }; version: { id: string; version: number } };

const CONNECTION_LOST = "The upload failed because the connection was lost. Nothing was saved; please try again.";

/**
 * Sends the chosen file as the raw request body (streamed by the browser, never read into memory
 * here) and shows its progress. The size check here only saves a pointless upload; the server
 * enforces the limit.
 */
export function FileUploader({
  uploadUrl,
  maxBytes,
  submitLabel,
  linkToNewFile,
}: {
  uploadUrl: string;
  maxBytes: number;
  submitLabel: string;
  /** After creating a file, offer a link to its page (a new version stays on the file's own page). */
  linkToNewFile: boolean;
}) {
  const router = useRouter();
  const inputId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, setState] = useState<UploadState>({ status: "idle" });
  const uploading = state.status === "uploading";

  function send(file: File) {
    const request = new XMLHttpRequest();
    request.open("POST", uploadUrl);
    request.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    request.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    request.responseType = "json";
    request.upload.onprogress = (event) => {
      setState({ status: "uploading", loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    request.onload = () => {
      const reply = request.response as (UploadReply & { error?: { message?: string } }) | null;
      if (request.status !== 201 || !reply?.file) {
        setState({
          status: "error",
          message: reply?.error?.message ?? `The upload failed (error ${request.status}). Nothing was saved; please try again.`,
        });
        return;
      }
      formRef.current?.reset();
      setState({
        status: "success",
        message: `Uploaded “${file.name}” as version ${reply.version.version}.`,
        fileHref: linkToNewFile ? `/files/${reply.file.id}` : undefined,
      });
      router.refresh();
    };
    request.onerror = () => setState({ status: "error", message: CONNECTION_LOST });
    request.onabort = () => setState({ status: "error", message: CONNECTION_LOST });
    setState({ status: "uploading", loaded: 0, total: file.size });
    request.send(file);
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("file") as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (!file) return setState({ status: "error", message: "Choose a file to upload." });
    if (file.size === 0) return setState({ status: "error", message: "The file is empty. Choose a file with some content." });
    if (file.size > maxBytes) {
      return setState({
        status: "error",
        message: `The file is ${formatBytes(file.size)}, larger than the upload limit of ${formatBytes(maxBytes)}.`,
      });
    }
    send(file);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-3" noValidate>
      {state.status === "error" && <Alert>{state.message}</Alert>}
      {state.status === "success" && (
        <Alert tone="success">
          {state.message}{" "}
          {state.fileHref && (
            <Link href={state.fileHref} className={buttonClass.link}>
              Open the file
            </Link>
          )}
        </Alert>
      )}
      <div className="space-y-1">
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
          File
        </label>
        <input
          id={inputId}
          name="file"
          type="file"
          required
          disabled={uploading}
          aria-describedby={`${inputId}-hint`}
          className={`${inputClass} file:mr-3 file:rounded file:border-0 file:bg-slate-100 file:px-2 file:py-1 file:text-sm file:font-medium`}
        />
        <p id={`${inputId}-hint`} className="text-xs text-slate-500">
          Up to {formatBytes(maxBytes)}.
        </p>
      </div>
      {state.status === "uploading" && (
        <div className="space-y-1">
          <progress
            value={state.loaded}
            max={Math.max(state.total, 1)}
            aria-label="Upload progress"
            className="h-2 w-full overflow-hidden rounded bg-slate-100 accent-indigo-600"
          />
          <p className="text-xs text-slate-600" aria-live="polite">
            {formatBytes(state.loaded)} of {formatBytes(state.total)} sent
          </p>
        </div>
      )}
      <button type="submit" className={buttonClass.primary} disabled={uploading} aria-disabled={uploading}>
        {uploading ? "Uploading…" : submitLabel}
      </button>
    </form>
  );
}
