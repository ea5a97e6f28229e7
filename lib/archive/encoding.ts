import type { BackupOptions } from "@/db/schema";

/** What the data-set writers share: CSV encodings, RFC 4180 quoting, and how an entry is made from pages. */

export type Encoding = BackupOptions["csvEncoding"];

export function encodeText(text: string, encoding: Encoding, first: boolean): Buffer {
  if (encoding === "utf-16le") return Buffer.concat([first ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, "utf16le")]);
  if (encoding === "utf-8-bom" && first) return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
  return Buffer.from(text, "utf8");
}

/**
 * RFC 4180 quoting: a field holding a comma, a quote, or a line break of any kind (CR and LF are
 * allowed only inside quotes; a spreadsheet would start a new row at a bare one) is quoted. The
 * byte writer (byte-writer.ts) applies the same two rules to UTF-8 bytes.
 */
export const CSV_QUOTED_IF_HOLDING = '",\r\n';
/** A spreadsheet runs a cell starting with one of these as a formula: = + - @ tab CR. */
export const FORMULA_STARTS = "=+-@\t\r";

/** One pass over a field for any of them (none is special inside a character class). */
const NEEDS_QUOTES = new RegExp(`[${CSV_QUOTED_IF_HOLDING}]`);

export function quoteField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (JSON keeps the exact value). */
export function neutralizeFormula(value: string): string {
  return value !== "" && FORMULA_STARTS.includes(value[0]!) ? `'${value}` : value;
}

export const csvHeader = (columns: string[]) => `${columns.map(quoteField).join(",")}\r\n`;

/** How one entry's bytes are made from the pages of rows it is read from (arrays of rows, or COPY's pages). */
export type PageEncoder<Page> = { start: () => Buffer; page: (page: Page) => Buffer | Promise<Buffer>; end: () => Buffer };
