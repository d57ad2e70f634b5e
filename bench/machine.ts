/** The machine the figures were measured on: they mean little without it. */
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  /** A container's CPU limit (cgroup v2 cpu.max), when there is one. */
  cpuLimit?: string;
  memory: string;
  node: string;
  os: string;
  /** The file system of the temporary folder the SQLite stores live in: fsync's cost depends on it. */
  tempFileSystem: string;
  /** How busy the machine was when the run began: other work skews every figure. */
  loadAverage: string;
}

/** statfs f_type magic numbers of the file systems a benchmark is likely to meet. */
const FILE_SYSTEMS: Record<number, string> = {
  0xef53: 'ext4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs (in memory: fsync costs nothing)',
  0x794c7630: 'overlayfs',
  0x65735546: 'fuse',
  0x6a656a63: 'fakeowner (Docker Desktop)',
  0x5346544e: 'ntfs',
  0x1badface: 'zfs',
};

export function describeMachine(): Machine {
  const cpus = os.cpus();
  const limit = cpuLimit();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    ...(limit ? { cpuLimit: limit } : {}),
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB`,
    node: process.version,
    os: `${osName()} (${os.type()} ${os.release()}, ${os.arch()})`,
    tempFileSystem: fileSystemOf(os.tmpdir()),
    loadAverage: os.loadavg().map((load) => load.toFixed(2)).join(', '),
  };
}

export function machineLines(machine: Machine): string[] {
  return [
    `CPU: ${machine.cpu}, ${machine.cores} cores${machine.cpuLimit ? ` (limited to ${machine.cpuLimit})` : ''}`,
    `Memory: ${machine.memory}`,
    `Node.js: ${machine.node}`,
    `OS: ${machine.os}`,
    `Temporary folder (SQLite stores): ${machine.tempFileSystem}`,
    `Load average when the run began (1, 5, 15 min): ${machine.loadAverage}`,
  ];
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os.version();
  } catch {
    return os.version();
  }
}

function cpuLimit(): string | undefined {
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(' ');
    if (!quota || quota === 'max' || !period) return undefined;
    return `${(Number(quota) / Number(period)).toFixed(1)} CPUs by its cgroup`;
  } catch {
    return undefined;
  }
}

function fileSystemOf(path: string): string {
  try {
    const type = statfsSync(path).type;
    return `${path} on ${FILE_SYSTEMS[type] ?? `file system type 0x${type.toString(16)}`}`;
  } catch {
    return path;
  }
}
