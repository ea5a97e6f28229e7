import fs from "node:fs";
import path from "node:path";
import { BenchmarkError, MIB, onCleanUp } from "./support";

const BLKIO_ROOT = "/sys/fs/cgroup/blkio";

/** The whole disk a file lives on, as `major:minor` (a throttle rule names the disk, not a partition). */
function diskOf(filePath: string): string {
  const { dev } = fs.statSync(filePath);
  // Linux's dev_t encoding, as glibc's major() and minor() undo it.
  const major = ((dev >>> 8) & 0xfff) | Math.floor(dev / 2 ** 32) * 0x1000;
  const minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
  const deviceDir = `/sys/dev/block/${major}:${minor}`;
  if (!fs.existsSync(deviceDir)) throw new BenchmarkError(`${filePath} is not on a block device (${major}:${minor}), so its reads cannot be throttled.`);
  const wholeDiskDir = fs.existsSync(path.join(deviceDir, "partition")) ? path.join(fs.realpathSync(deviceDir), "..") : deviceDir;
  return fs.readFileSync(path.join(wholeDiskDir, "dev"), "utf8").trim();
}

/**
 * Emulates a disk that reads at most `mibPerSecond`: puts this process, and so every process it
 * starts from now on, in a cgroup whose reads from the disk holding `filePath` are throttled.
 * On a virtual machine the disk is often the host's page cache and reads faster than loopback
 * can carry; this shows what a download reaches where the disk is the slower side, as on most
 * real machines. Needs root and cgroup v1's blkio controller. The group is removed by cleanUp(),
 * once the processes started in it have stopped.
 */
export function throttleDiskReads({ filePath, mibPerSecond }: { filePath: string; mibPerSecond: number }) {
  if (!fs.existsSync(path.join(BLKIO_ROOT, "cgroup.procs"))) {
    throw new BenchmarkError(`--disk-mib-s needs cgroup v1's blkio controller at ${BLKIO_ROOT}, which this machine does not have.`);
  }
  const disk = diskOf(filePath);
  const group = path.join(BLKIO_ROOT, `archivist-bench-${process.pid}`);
  try {
    fs.mkdirSync(group);
    fs.writeFileSync(path.join(group, "blkio.throttle.read_bps_device"), `${disk} ${Math.round(mibPerSecond * MIB)}`);
    fs.writeFileSync(path.join(group, "cgroup.procs"), String(process.pid));
  } catch (error) {
    if (fs.existsSync(group)) fs.rmdirSync(group);
    throw new BenchmarkError(`Could not throttle reads from disk ${disk} (run as root): ${(error as Error).message}`);
  }
  onCleanUp(async () => {
    fs.writeFileSync(path.join(BLKIO_ROOT, "cgroup.procs"), String(process.pid));
    fs.rmdirSync(group);
  });
  return { disk };
}
