import { randomBytes } from "node:crypto";

/** Public identifier shown in exports and URLs (Wrike-style uppercase id), distinct from the row's uuid. */
export function newUid(): string {
  return randomBytes(8).toString("hex").toUpperCase();
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
