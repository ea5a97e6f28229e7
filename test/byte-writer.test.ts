import { describe, expect, it } from "vitest";
import { ByteWriter } from "@/lib/archive/byte-writer";

/** JSON and CSV written from UTF-8 bytes (lib/archive/byte-writer.ts) against what the string writers give. */

const writtenBy = (write: (writer: ByteWriter, bytes: Buffer) => void) => (text: string) => {
  const writer = new ByteWriter(16);
  const bytes = Buffer.from(text, "utf8");
  write(writer, bytes);
  return writer.take().toString("utf8");
};
const jsonOf = writtenBy((writer, bytes) => writer.jsonString(bytes, 0, bytes.length));
const csvOf = writtenBy((writer, bytes) => writer.csvField(bytes, 0, bytes.length));

const EVERY_ASCII = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).join("");

describe("ByteWriter", () => {
  it("writes a JSON string exactly as JSON.stringify does", () => {
    const texts = ["", "plain", EVERY_ASCII, "ünïcödé — 日本語 🎉 \u2028\u2029", "\u0000\u0001\u001f\u007f\"\\/", "x".repeat(100_000) + '"', `${"é".repeat(40)}\n${"\t".repeat(70)}`];
    for (const text of texts) expect(jsonOf(text)).toBe(JSON.stringify(text));
    for (let seed = 1; seed <= 200; seed++) {
      const random = Array.from({ length: seed % 50 }, (_, index) => String.fromCodePoint([(seed * 31 + index * 17) % 128, 0xe9, 0x65e5, 0x1f389][index % 4]!)).join("");
      expect(jsonOf(random)).toBe(JSON.stringify(random));
    }
  });

  it("writes an RFC 4180 field, quoted only when needed and neutralized for spreadsheets", () => {
    expect(csvOf("")).toBe("");
    expect(csvOf("plain text")).toBe("plain text");
    expect(csvOf("a,b")).toBe('"a,b"');
    expect(csvOf('say "hi"')).toBe('"say ""hi"""');
    expect(csvOf("two\nlines")).toBe('"two\nlines"');
    expect(csvOf("cr\ronly")).toBe('"cr\ronly"');
    expect(csvOf("=1+1")).toBe("'=1+1");
    expect(csvOf("+33 1 23")).toBe("'+33 1 23");
    expect(csvOf("-5")).toBe("'-5");
    expect(csvOf("@handle")).toBe("'@handle");
    expect(csvOf("\tindented")).toBe("'\tindented");
    expect(csvOf('\r=HYPERLINK("x")')).toBe('"\'\r=HYPERLINK(""x"")"');
    expect(csvOf('=SUM(A1,"b")')).toBe('"\'=SUM(A1,""b"")"');
    expect(csvOf("ünïcödé, 日本語")).toBe('"ünïcödé, 日本語"');
    expect(csvOf(`${'"'.repeat(5_000)}`)).toBe(`"${'"'.repeat(10_000)}"`);
  });

  it("keeps everything written across growth of its buffer, and starts empty after take", () => {
    const writer = new ByteWriter(4);
    const parts = ["first", "x".repeat(1_000), "last"].map((text) => Buffer.from(text));
    for (const part of parts) writer.bytes(part);
    expect(writer.take().toString()).toBe(`first${"x".repeat(1_000)}last`);
    expect(writer.take().length).toBe(0);
    writer.bytes(Buffer.from("abcdef"), 2, 4);
    expect(writer.take().toString()).toBe("cd");
  });

  it("hands out bytes that later writes do not change, though it writes on in the same buffer", () => {
    const writer = new ByteWriter(16);
    writer.bytes(Buffer.from("page one"));
    const first = writer.take();
    writer.bytes(Buffer.from("PAGE TWO"));
    const second = writer.take();
    expect(first.toString()).toBe("page one");
    expect(second.toString()).toBe("PAGE TWO");
  });
});
