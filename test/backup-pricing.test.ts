import { describe, expect, it } from "vitest";
import { backupStorageCost, estimateBackupPrice, formatPrice, formatRate } from "@/lib/backups/config";
import { formatDuration } from "@/lib/format";

/** Issue 5, point 7 (SPEC §3): the price shown before a request, and the storage cost a kept backup accrues. */

const GIB = 1024 ** 3;
const DAY_MS = 24 * 3600 * 1000;
const completedAt = new Date("2026-03-01T00:00:00Z");
const expiresAt = new Date(completedAt.getTime() + 7 * DAY_MS);
const at = (days: number) => new Date(completedAt.getTime() + days * DAY_MS);

describe("backup price", () => {
  it("charges $0.50 plus $0.10 per GiB packed, and $0.023 per GiB per month to keep", () => {
    expect(estimateBackupPrice({ contentBytes: 0 })).toEqual({ processingUsd: 0.5, storagePerMonthUsd: 0 });
    const tenGib = estimateBackupPrice({ contentBytes: 10 * GIB });
    expect(tenGib.processingUsd).toBeCloseTo(1.5, 10);
    expect(tenGib.storagePerMonthUsd).toBeCloseTo(0.23, 10);
    expect(formatPrice(tenGib.processingUsd)).toBe("$1.50");
    expect(formatRate(0.023)).toBe("$0.023");
  });

  it("never shows a tiny price as free", () => {
    expect(formatPrice(0)).toBe("$0.00");
    expect(formatPrice(0.00002)).toBe("less than $0.0001");
    expect(formatPrice(0.0042)).toBe("$0.0042");
  });
});

describe("storage cost accrued while a backup is kept", () => {
  const ready = { sizeBytes: 30 * GIB, completedAt, expiresAt, deletedAt: null };

  it("grows with the size and the days kept (a month is 30 days)", () => {
    const cost = backupStorageCost({ backup: ready, now: at(3) });
    expect(cost.storedMs).toBe(3 * DAY_MS);
    expect(cost.usd).toBeCloseTo(30 * 0.023 * (3 / 30), 10);
    expect(backupStorageCost({ backup: ready, now: at(6) }).usd).toBeCloseTo(2 * cost.usd, 10);
  });

  it("stops at expiry, even before the scheduled cleanup has run, and at deletion", () => {
    expect(backupStorageCost({ backup: ready, now: at(9) }).storedMs).toBe(7 * DAY_MS);
    expect(backupStorageCost({ backup: { ...ready, deletedAt: at(2) }, now: at(20) }).storedMs).toBe(2 * DAY_MS);
    expect(backupStorageCost({ backup: { ...ready, deletedAt: at(10) }, now: at(20) }).storedMs).toBe(7 * DAY_MS);
  });

  it("is nothing for a backup that never had an archive (running, failed, cancelled)", () => {
    expect(backupStorageCost({ backup: { sizeBytes: null, completedAt: null, expiresAt: null, deletedAt: null }, now: at(1) }).usd).toBe(0);
    expect(backupStorageCost({ backup: { sizeBytes: null, completedAt, expiresAt: null, deletedAt: at(1) }, now: at(3) }).usd).toBe(0);
  });

  it("says how long in words", () => {
    expect(formatDuration(3 * DAY_MS + 5 * 3600_000 + 60_000)).toBe("3 days 5 hours");
    expect(formatDuration(3 * DAY_MS + 60_000)).toBe("3 days");
    expect(formatDuration(3600_000 + 2 * 60_000)).toBe("1 hour 2 minutes");
    expect(formatDuration(59_000)).toBe("under a minute");
  });
});
