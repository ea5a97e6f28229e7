import type { BackupOptions } from "@/db/schema";
import { BACKUP_CONFIG } from "@/lib/backups/config";

/** How the request form and the detail page name each option; shared so both say the same thing. */
export const CSV_ENCODING_LABELS = {
  "utf-8": "UTF-8",
  "utf-8-bom": "UTF-8 with BOM (Excel)",
  "utf-16le": "UTF-16 LE",
} as const satisfies Record<BackupOptions["csvEncoding"], string>;

export const FORMAT_LABELS = { json: "JSON", csv: "CSV" } as const satisfies Record<BackupOptions["formats"][number], string>;

export const DOWNLOADABLE_DAYS = BACKUP_CONFIG.downloadableForMs / (24 * 60 * 60 * 1000);
