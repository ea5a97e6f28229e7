/**
 * How an object composed of pieces is cut into the parts of one S3 multipart upload. S3 requires
 * every part but the last to be at least 5 MiB, and a server-side copy (UploadPartCopy) takes one
 * contiguous range of one stored object. So stored pieces big enough are copied by the server, and
 * everything else (small pieces, literal bytes) is gathered into uploaded parts; a run of small
 * pieces too short to stand alone is topped up with the head of the next big piece.
 */

/** `stored`: an object already in the bucket, which the server can copy; otherwise bytes we send. */
export type PlanPiece = { size: number; stored: boolean };
/** An inclusive-exclusive byte range of one piece, by its index in the list given to the planner. */
export type PieceRange = { piece: number; start: number; end: number };
export type PlannedPart = { kind: "copy"; range: PieceRange } | { kind: "upload"; ranges: PieceRange[] };

export type PartLimits = {
  /** Smallest part S3 accepts anywhere but last (5 MiB). */
  minPartBytes: number;
  /** Size of an uploaded part: what the driver holds in memory at once. At least minPartBytes. */
  uploadPartBytes: number;
  /** Largest range one UploadPartCopy may copy (5 GiB). */
  maxCopyPartBytes: number;
};

export function planComposeParts(pieces: PlanPiece[], limits: PartLimits): PlannedPart[] {
  const { minPartBytes, uploadPartBytes, maxCopyPartBytes } = limits;
  if (uploadPartBytes < minPartBytes) throw new Error("An uploaded part cannot be smaller than the minimum part size");
  const planned: PlannedPart[] = [];
  let pending: PieceRange[] = [];
  let pendingBytes = 0;

  const flushPending = () => {
    if (pendingBytes > 0) planned.push({ kind: "upload", ranges: pending });
    pending = [];
    pendingBytes = 0;
  };
  const gather = (piece: number, start: number, end: number) => {
    let from = start;
    while (from < end) {
      const taken = Math.min(end - from, uploadPartBytes - pendingBytes);
      pending.push({ piece, start: from, end: from + taken });
      pendingBytes += taken;
      from += taken;
      if (pendingBytes === uploadPartBytes) flushPending();
    }
  };

  pieces.forEach((piece, index) => {
    if (!piece.stored || piece.size < minPartBytes) {
      gather(index, 0, piece.size);
      return;
    }
    const isLastPiece = index === pieces.length - 1;
    let copyFrom = 0;
    if (pendingBytes > 0 && pendingBytes < minPartBytes) {
      const topUp = minPartBytes - pendingBytes;
      if (piece.size - topUp < minPartBytes && !isLastPiece) {
        // What would be left to copy is too small to be a part of its own: upload the whole piece.
        gather(index, 0, piece.size);
        return;
      }
      gather(index, 0, topUp);
      copyFrom = topUp;
    }
    flushPending();
    const remaining = piece.size - copyFrom;
    const copyParts = Math.ceil(remaining / maxCopyPartBytes);
    const copyPartBytes = Math.ceil(remaining / copyParts);
    for (let start = copyFrom; start < piece.size; start += copyPartBytes) {
      planned.push({ kind: "copy", range: { piece: index, start, end: Math.min(start + copyPartBytes, piece.size) } });
    }
  });
  flushPending();
  return planned;
}
