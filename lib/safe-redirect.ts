const DEFAULT_PATH = "/folders";

/**
 * Where to send a user after sign-in: only a path on this site. Anything else (another origin,
 * protocol-relative `//evil`, backslash tricks, javascript:) falls back to the workspace.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) {
    return DEFAULT_PATH;
  }
  try {
    const base = "http://archivist.invalid";
    const url = new URL(value, base);
    if (url.origin !== base) return DEFAULT_PATH;
    if (url.pathname === "/login") return DEFAULT_PATH;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return DEFAULT_PATH;
  }
}
