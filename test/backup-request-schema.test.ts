import { describe, expect, it } from "vitest";
import { backupRequestApiSchema, backupRequestFormSchema } from "@/lib/backups/request-schema";

const firstError = (result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) => result.error?.issues[0];

describe("backup request input", () => {
  it("trims the name and applies the defaults of SPEC §3", () => {
    expect(backupRequestApiSchema.parse({ name: "  Weekly  " })).toEqual({
      name: "Weekly",
      description: "",
      includeFiles: true,
      formats: ["json", "csv"],
      csvEncoding: "utf-8",
      includeBi: false,
    });
  });

  it.each([
    ["empty", "", "Enter a name for the backup."],
    ["only spaces", "    ", "Enter a name for the backup."],
    ["101 characters", "x".repeat(101), "Use at most 100 characters for the name."],
    ["a control character", "Weekly\u0007backup", "The name cannot contain control characters."],
    ["a newline", "Weekly\nbackup", "The name cannot contain control characters."],
  ])("refuses a name that is %s", (_case, name, message) => {
    const result = backupRequestApiSchema.safeParse({ name });
    expect(result.success).toBe(false);
    expect(firstError(result)).toMatchObject({ message, path: ["name"] });
  });

  it("accepts 100 characters and keeps HTML as plain text (pages escape it)", () => {
    expect(backupRequestApiSchema.parse({ name: "y".repeat(100) }).name).toHaveLength(100);
    expect(backupRequestApiSchema.parse({ name: "<script>alert(1)</script>" }).name).toBe("<script>alert(1)</script>");
  });

  it("refuses unknown fields, wrong types and unknown options, naming the field", () => {
    expect(firstError(backupRequestApiSchema.safeParse({ name: "a", extra: 1 }))?.message).toMatch(/extra/);
    expect(firstError(backupRequestApiSchema.safeParse({ name: "a", includeFiles: "yes" }))?.path).toEqual(["includeFiles"]);
    expect(firstError(backupRequestApiSchema.safeParse({ name: "a", formats: ["xml"] }))?.path).toEqual(["formats", 0]);
    expect(firstError(backupRequestApiSchema.safeParse({ name: "a", formats: [] }))?.message).toBe("Choose at least one data format.");
    expect(firstError(backupRequestApiSchema.safeParse({ name: "a", csvEncoding: "latin1" }))?.path).toEqual(["csvEncoding"]);
    expect(firstError(backupRequestApiSchema.safeParse({ name: 42 }))?.path).toEqual(["name"]);
    expect(firstError(backupRequestApiSchema.safeParse({ name: "a", description: "d".repeat(1001) }))?.path).toEqual(["description"]);
  });

  it("reads the settings form: checkboxes are on or absent, formats repeat", () => {
    expect(backupRequestFormSchema.parse({ name: "Form", includeFiles: "on", formats: ["csv", "json"], csvEncoding: "utf-16le" })).toMatchObject({
      includeFiles: true,
      formats: ["json", "csv"],
      csvEncoding: "utf-16le",
      includeBi: false,
    });
    expect(backupRequestFormSchema.parse({ name: "Data only", formats: "json" })).toMatchObject({ includeFiles: false, formats: ["json"] });
    expect(backupRequestFormSchema.safeParse({ name: "No format" }).success).toBe(false);
  });
});
