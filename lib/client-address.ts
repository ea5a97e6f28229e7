import "server-only";
import { isIP } from "node:net";
import { env } from "@/lib/env";

/**
 * The address a request came from, for the audit log, read from X-Forwarded-For. Each proxy appends
 * the address it received the request from, and `next start` sets the socket's address when the
 * header is absent; entries further left were written by whoever sent the request and prove nothing.
 * So the client is the entry TRUSTED_PROXY_HOPS from the right (default 1: the nearest proxy's, or
 * Next's own). IPv4 addresses seen on an IPv6 socket are shown as plain IPv4.
 */
export function clientAddress(forwardedFor: string | null | undefined, trustedProxyHops = env.TRUSTED_PROXY_HOPS): string | null {
  const entries = (forwardedFor ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  const address = entries[entries.length - trustedProxyHops]?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return address && isIP(address) ? address : null;
}
