/** Every rate and limit of the backup feature, in one place (SPEC §3). */
export const BACKUP_CONFIG = {
  price: {
    processingBaseUsd: 0.5,
    processingPerGibUsd: 0.1,
    storagePerGibMonthUsd: 0.023,
  },
  downloadableForMs: 7 * 24 * 60 * 60 * 1000,
  /** A batch of file versions packed by one step: small enough to finish well within a minute. */
  batch: { maxBytes: 256 * 1024 * 1024, maxEntries: 500 },
  plansWithBackups: ["team", "enterprise"] as const,
  listPageSize: 20,
  auditLogPageSize: 25,
  /** Storage is billed per GiB-month; a month is counted as 30 days. */
  billingMonthMs: 30 * 24 * 60 * 60 * 1000,
} as const;

const GIB = 1024 ** 3;

export function estimateBackupPrice({ contentBytes }: { contentBytes: number }) {
  const gib = contentBytes / GIB;
  return {
    processingUsd: BACKUP_CONFIG.price.processingBaseUsd + BACKUP_CONFIG.price.processingPerGibUsd * gib,
    storagePerMonthUsd: BACKUP_CONFIG.price.storagePerGibMonthUsd * gib,
  };
}

/**
 * What keeping a backup's archive has cost so far: its size for the time it was in storage. Only a
 * backup that became ready has an archive (and a size); it is kept from completion until it expires
 * or is deleted, whichever comes first (or until `now` while it is kept).
 */
export function backupStorageCost({
  backup,
  now,
}: {
  backup: { sizeBytes: number | null; completedAt: Date | null; expiresAt: Date | null; deletedAt: Date | null };
  now: Date;
}): { usd: number; storedMs: number } {
  if (backup.sizeBytes === null || backup.completedAt === null) return { usd: 0, storedMs: 0 };
  const storedUntil = Math.min(now.getTime(), backup.expiresAt?.getTime() ?? Infinity, backup.deletedAt?.getTime() ?? Infinity);
  const storedMs = Math.max(0, storedUntil - backup.completedAt.getTime());
  const gibMonths = (backup.sizeBytes / GIB) * (storedMs / BACKUP_CONFIG.billingMonthMs);
  return { usd: gibMonths * BACKUP_CONFIG.price.storagePerGibMonthUsd, storedMs };
}

function formatUsd(amount: number): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: amount < 0.01 && amount > 0 ? 4 : 2 }).format(amount);
}

/** formatUsd shows four decimals for cents' fractions; below that "$0.0000" would read as free. */
export function formatPrice(amount: number): string {
  return amount > 0 && amount < 0.0001 ? "less than $0.0001" : formatUsd(amount);
}

// Rates such as $0.023 per GiB need a third decimal that prices rounded to the cent do not.
const rateFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 3 });

export function formatRate(amount: number): string {
  return rateFormat.format(amount);
}
