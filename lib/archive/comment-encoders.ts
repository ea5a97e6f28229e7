import type { CopyPage } from "@/db/copy-out";
import { COMMENT_FIELD } from "@/db/queries/backup-export";
import { ByteWriter, ascii } from "./byte-writer";
import { csvHeader, encodeText, type Encoding, type PageEncoder } from "./encoding";

/**
 * The comment data sets (json/comments.json, csv/comments.csv, csv/comment_replies.csv,
 * bi/comments.csv), by far the most rows of a backup, written from the bytes of COPY's pages
 * (db/copy-out.ts) without a string or object per field.
 */

/** Re-encodes UTF-8 bytes for a CSV in the chosen encoding (past its first bytes, where the BOM goes). */
const csvBytes = (utf8: Buffer, encoding: Encoding) => (encoding === "utf-16le" ? encodeText(utf8.toString("utf8"), encoding, false) : utf8);

/** Writes one comment of a COPY page (fields as in COMMENT_FIELD). */
type CommentWriter = (out: ByteWriter, page: CopyPage, row: number) => void;

const NULL = ascii("null");
const JSON_QUOTE = ascii('"');
const FILE_VERSION = ascii("file_version");

function rawField(out: ByteWriter, page: CopyPage, row: number, field: number) {
  out.bytes(page.buffer(row), page.start(row, field), page.end(row, field));
}

/** A CSV cell of text the export wrote (null is empty), neutralized and quoted as the other CSVs' text cells. */
function csvCell(out: ByteWriter, page: CopyPage, row: number, field: number) {
  if (!page.isNull(row, field)) out.csvField(page.buffer(row), page.start(row, field), page.end(row, field));
}

/** A uid (hex digits, lib/ids.ts) as JSON, or null: no escaping needed. */
function jsonUid(out: ByteWriter, page: CopyPage, row: number, field: number) {
  if (page.isNull(row, field)) return out.bytes(NULL);
  out.bytes(JSON_QUOTE);
  rawField(out, page, row, field);
  out.bytes(JSON_QUOTE);
}

/** An integer's text as a JSON number, or null. */
function jsonNumber(out: ByteWriter, page: CopyPage, row: number, field: number) {
  if (page.isNull(row, field)) out.bytes(NULL);
  else rawField(out, page, row, field);
}

const COMMENT_JSON = {
  id: ascii('{"id":"'),
  parentId: ascii('","parentId":'),
  authorId: ascii(',"authorId":'),
  text: ascii(',"text":'),
  createdDate: ascii(',"createdDate":"'),
  fileVersionTarget: ascii('","target":{"type":"fileVersion","id":"'),
  fileId: ascii('","fileId":'),
  version: ascii(',"version":'),
  type: ascii('","target":{"type":"'),
  targetId: ascii('","id":"'),
  end: ascii('"}}'),
  fileVersionEnd: ascii("}}"),
};

/**
 * Wrike's comment, `{"id","parentId","authorId","text","createdDate","target"}`, written from the
 * fields' bytes: uids are hex digits and the date is ISO 8601, so only the text needs escaping.
 */
const commentJson: CommentWriter = (out, page, row) => {
  const buffer = page.buffer(row);
  out.bytes(COMMENT_JSON.id);
  rawField(out, page, row, COMMENT_FIELD.uid);
  out.bytes(COMMENT_JSON.parentId);
  jsonUid(out, page, row, COMMENT_FIELD.parentUid);
  out.bytes(COMMENT_JSON.authorId);
  jsonUid(out, page, row, COMMENT_FIELD.authorUid);
  out.bytes(COMMENT_JSON.text);
  out.jsonString(buffer, page.start(row, COMMENT_FIELD.body), page.end(row, COMMENT_FIELD.body));
  out.bytes(COMMENT_JSON.createdDate);
  rawField(out, page, row, COMMENT_FIELD.createdAt);
  if (page.equals(row, COMMENT_FIELD.targetType, FILE_VERSION)) {
    out.bytes(COMMENT_JSON.fileVersionTarget);
    rawField(out, page, row, COMMENT_FIELD.targetUid);
    out.bytes(COMMENT_JSON.fileId);
    jsonUid(out, page, row, COMMENT_FIELD.fileUid);
    out.bytes(COMMENT_JSON.version);
    jsonNumber(out, page, row, COMMENT_FIELD.version);
    out.bytes(COMMENT_JSON.fileVersionEnd);
  } else {
    out.bytes(COMMENT_JSON.type);
    rawField(out, page, row, COMMENT_FIELD.targetType);
    out.bytes(COMMENT_JSON.targetId);
    rawField(out, page, row, COMMENT_FIELD.targetUid);
    out.bytes(COMMENT_JSON.end);
  }
};

const JSON_FIRST_LINE = ascii("\n");
const JSON_NEXT_LINE = ascii(",\n");

/** json/comments.json: a JSON array with one comment per line, as the other JSON data sets are written. */
export function commentJsonLines(): PageEncoder<CopyPage> {
  const out = new ByteWriter();
  let rows = 0;
  return {
    start: () => Buffer.from("["),
    page: (page) => {
      for (let row = 0; row < page.count; row++) {
        out.bytes(rows++ === 0 ? JSON_FIRST_LINE : JSON_NEXT_LINE);
        commentJson(out, page, row);
      }
      return out.take();
    },
    end: () => Buffer.from(rows > 0 ? "\n]\n" : "]\n"),
  };
}

/** A CSV of comments with its header row; `keep` picks the rows, `record` writes one, CRLF included. */
function commentCsv(columns: string[], encoding: Encoding, record: CommentWriter, keep: (page: CopyPage, row: number) => boolean = () => true): PageEncoder<CopyPage> {
  const out = new ByteWriter();
  return {
    start: () => encodeText(csvHeader(columns), encoding, true),
    page: (page) => {
      for (let row = 0; row < page.count; row++) if (keep(page, row)) record(out, page, row);
      return csvBytes(out.take(), encoding);
    },
    end: () => Buffer.alloc(0),
  };
}

const COMMA = ascii(",");
const CRLF = ascii("\r\n");
const YES = ascii("yes");
const NO = ascii("no");

/**
 * A comment's CSV cell: a field's bytes as they are (uids, plain words, ISO dates: nothing to quote),
 * a field as text (quoted and neutralized as needed), or "yes"/"no" for whether it is a reply.
 */
type CommentCell = { raw: number } | { text: number } | "isReply";

/** A CSV record of a comment's cells, CRLF included. */
function commentRecord(cells: CommentCell[]): CommentWriter {
  return (out, page, row) => {
    for (let index = 0; index < cells.length; index++) {
      const cell = cells[index]!;
      if (index > 0) out.bytes(COMMA);
      if (cell === "isReply") out.bytes(page.isNull(row, COMMENT_FIELD.parentUid) ? NO : YES);
      else if ("raw" in cell) rawField(out, page, row, cell.raw);
      else csvCell(out, page, row, cell.text);
    }
    out.bytes(CRLF);
  };
}

// A comment whose parent_id is set has a parent row (the foreign key cascades), so parentUid tells
// replies apart.
const isTopLevel = (page: CopyPage, row: number) => page.isNull(row, COMMENT_FIELD.parentUid);

export const commentCsvRows = (encoding: Encoding) =>
  commentCsv(
    ["uid", "targetType", "targetUid", "targetName", "authorName", "body", "createdAt"],
    encoding,
    commentRecord([{ raw: COMMENT_FIELD.uid }, { raw: COMMENT_FIELD.targetType }, { raw: COMMENT_FIELD.targetUid }, { text: COMMENT_FIELD.targetName }, { text: COMMENT_FIELD.authorName }, { text: COMMENT_FIELD.body }, { raw: COMMENT_FIELD.createdAt }]),
    isTopLevel,
  );

export const commentCsvReplies = (encoding: Encoding) =>
  commentCsv(
    ["uid", "parentUid", "targetType", "targetUid", "authorName", "body", "createdAt"],
    encoding,
    commentRecord([{ raw: COMMENT_FIELD.uid }, { raw: COMMENT_FIELD.parentUid }, { raw: COMMENT_FIELD.targetType }, { raw: COMMENT_FIELD.targetUid }, { text: COMMENT_FIELD.authorName }, { text: COMMENT_FIELD.body }, { raw: COMMENT_FIELD.createdAt }]),
    (page, row) => !isTopLevel(page, row),
  );

/** One flat row per comment with its target's name, for BI tools that cannot join. */
export const commentBiRows = (encoding: Encoding) =>
  commentCsv(
    ["author", "isReply", "targetType", "target", "body", "createdAt"],
    encoding,
    commentRecord([{ text: COMMENT_FIELD.authorName }, "isReply", { raw: COMMENT_FIELD.targetType }, { text: COMMENT_FIELD.targetName }, { text: COMMENT_FIELD.body }, { raw: COMMENT_FIELD.createdAt }]),
  );
