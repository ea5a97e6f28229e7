import { CSV_QUOTED_IF_HOLDING, FORMULA_STARTS } from "./encoding";

/**
 * Writes a data set's UTF-8 bytes straight from the bytes of database fields, without a string per
 * field: JSON and CSV need escaping only at ASCII bytes (quotes, backslashes, separators, control
 * characters), and every byte of a multi-byte UTF-8 character is 0x80 or more, so escaping byte by
 * byte gives what `JSON.stringify` and the CSV writer give for the same text.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const APOSTROPHE = 0x27;
/** The CSV rules of encoding.ts as byte lookups: 1 at each byte that makes a field quoted or starts a formula. */
const byteTable = (characters: string) => {
  const table = new Uint8Array(256);
  for (const byte of Buffer.from(characters, "latin1")) table[byte] = 1;
  return table;
};
const QUOTED_IF_HOLDING = byteTable(CSV_QUOTED_IF_HOLDING);
const FORMULA_START = byteTable(FORMULA_STARTS);
/** Short copies are faster byte by byte than through Buffer#copy, whose call costs more than the copying. */
const SHORT_COPY = 64;
const HEX = Buffer.from("0123456789abcdef", "latin1");
/** JSON's short escapes, as JSON.stringify writes them; other control characters become \u00XX. */
const JSON_SHORT_ESCAPES: Record<number, number> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 };

/** ASCII text written as is, encoded once. */
export const ascii = (text: string) => Buffer.from(text, "latin1");

export class ByteWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity = 256 * 1024) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  private reserve(bytes: number) {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** Bytes `start … end` of `source`, as they are. */
  bytes(source: Uint8Array, start = 0, end = source.length) {
    this.reserve(end - start);
    const target = this.buffer;
    let at = this.length;
    if (end - start < SHORT_COPY) {
      for (let index = start; index < end; index++) target[at++] = source[index]!;
    } else {
      target.set(source.subarray(start, end), at);
      at += end - start;
    }
    this.length = at;
  }

  /** The UTF-8 text in `source[start … end]` as a JSON string, quotes included. */
  jsonString(source: Uint8Array, start: number, end: number) {
    // At most 6 bytes per byte (\u00XX) and the quotes: nothing below grows the buffer.
    this.reserve((end - start) * 6 + 2);
    const target = this.buffer;
    let at = this.length;
    target[at++] = QUOTE;
    let run = start;
    for (let index = start; index < end; index++) {
      const byte = source[index]!;
      if (byte >= 0x20 && byte !== QUOTE && byte !== BACKSLASH) continue;
      for (let copied = run; copied < index; copied++) target[at++] = source[copied]!;
      run = index + 1;
      target[at++] = BACKSLASH;
      const short = byte === QUOTE || byte === BACKSLASH ? byte : JSON_SHORT_ESCAPES[byte];
      if (short !== undefined) {
        target[at++] = short;
      } else {
        target[at++] = 0x75;
        target[at++] = 0x30;
        target[at++] = 0x30;
        target[at++] = HEX[byte >> 4]!;
        target[at++] = HEX[byte & 0x0f]!;
      }
    }
    this.length = at;
    this.bytes(source, run, end);
    this.buffer[this.length++] = QUOTE;
  }

  /**
   * The UTF-8 text in `source[start … end]` as an RFC 4180 field: a cell a spreadsheet would run as
   * a formula gets a leading apostrophe, and a field holding a comma, a quote or a line break is
   * quoted with its quotes doubled. Empty text writes nothing.
   */
  csvField(source: Uint8Array, start: number, end: number) {
    if (end <= start) return;
    let quoted = false;
    for (let index = start; index < end; index++) {
      if (QUOTED_IF_HOLDING[source[index]!]) {
        quoted = true;
        break;
      }
    }
    // At most every byte doubled, the apostrophe and the quotes: nothing below grows the buffer.
    this.reserve((end - start) * 2 + 3);
    if (quoted) this.buffer[this.length++] = QUOTE;
    if (FORMULA_START[source[start]!]) this.buffer[this.length++] = APOSTROPHE;
    if (!quoted) {
      this.bytes(source, start, end);
      return;
    }
    let run = start;
    for (let index = start; index < end; index++) {
      if (source[index] !== QUOTE) continue;
      this.bytes(source, run, index + 1);
      this.buffer[this.length++] = QUOTE;
      run = index + 1;
    }
    this.bytes(source, run, end);
    this.buffer[this.length++] = QUOTE;
  }

  /**
   * What was written since the last take, as a Buffer of its own; the writer starts again empty, in
   * the buffer it keeps. Copying a page's bytes out costs less than a new buffer of the writer's
   * capacity per page did: at 200,000 comments those came to about 150 MB of buffers in a second,
   * and V8 ran a full collection for every few dozen megabytes of them.
   */
  take(): Buffer {
    const written = Buffer.allocUnsafe(this.length);
    this.buffer.copy(written, 0, 0, this.length);
    this.length = 0;
    return written;
  }
}
