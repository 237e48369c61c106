import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  cpus: number;
  model: string;
  memory_gb: number;
  node: string;
  os: string;
  load_average_at_start: number[];
  /** The Temporal server measured: the CLI's dev server, or the server on PostgreSQL. */
  temporal: string;
  postgres: string;
}

/** What `temporal --version` says of a CLI binary. */
export function cliVersion(temporalCli: string): string {
  try {
    return execFileSync(temporalCli, ['--version'], { timeout: 10_000 }).toString().trim();
  } catch {
    // An unknown version does not invalidate the figures.
    return 'unknown';
  }
}

export function machineInfo(temporal: string, postgres: string): MachineInfo {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    load_average_at_start: os.loadavg().map((n) => Math.round(n * 100) / 100),
    temporal,
    postgres,
  };
}
