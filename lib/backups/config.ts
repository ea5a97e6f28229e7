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
} as const;

const GIB = 1024 ** 3;

export function estimateBackupPrice({ contentBytes }: { contentBytes: number }) {
  const gib = contentBytes / GIB;
  return {
    processingUsd: BACKUP_CONFIG.price.processingBaseUsd + BACKUP_CONFIG.price.processingPerGibUsd * gib,
    storagePerMonthUsd: BACKUP_CONFIG.price.storagePerGibMonthUsd * gib,
  };
}

export function formatUsd(amount: number): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: amount < 0.01 && amount > 0 ? 4 : 2 }).format(amount);
}
