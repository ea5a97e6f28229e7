export const backupArchiveKey = (backupId: string) => `backups/${backupId}/archive.zip`;
export const backupSegmentKey = (backupId: string, seq: number) => `backups/${backupId}/segments/${String(seq).padStart(6, "0")}.zipseg`;
