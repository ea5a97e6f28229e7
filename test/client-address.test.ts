import { describe, expect, it } from "vitest";
import { clientAddress } from "@/lib/client-address";

/** The address the audit log records ("downloaded … from which address", issue 5 point 10). */
describe("clientAddress", () => {
  it("takes the address the nearest proxy (or next start) appended, not what the client wrote before it", () => {
    expect(clientAddress("203.0.113.9")).toBe("203.0.113.9");
    expect(clientAddress("6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    expect(clientAddress("6.6.6.6, 203.0.113.9, 10.0.0.2", 2)).toBe("203.0.113.9");
  });

  it("shows an IPv4 client seen on an IPv6 socket as IPv4, and keeps real IPv6", () => {
    expect(clientAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(clientAddress("2001:db8::7")).toBe("2001:db8::7");
    expect(clientAddress("::1")).toBe("::1");
  });

  it("records nothing rather than something that is not an address", () => {
    expect(clientAddress(null)).toBeNull();
    expect(clientAddress("")).toBeNull();
    expect(clientAddress("unknown")).toBeNull();
    expect(clientAddress("203.0.113.9", 2)).toBeNull();
    expect(clientAddress("'; drop table audit_events; --")).toBeNull();
  });
});
