// Reads CPU time and memory of a process (and, for PostgreSQL, of its backends) from /proc.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;
/** Kernel clock ticks per second, the unit of the CPU times in /proc/<pid>/stat. */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface ProcReading {
  /** CPU seconds used so far (user + system), including reaped children when asked. */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak resident set size since the process started (VmHWM). */
  hwmBytes: number;
}

function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function statusKb(pid: number, key: string): number {
  try {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** One process; `withChildren` adds the CPU time of children it has reaped (cutime, cstime). */
export function readProcess(pid: number, withChildren = false): ProcReading | undefined {
  const f = statFields(pid);
  if (!f) return undefined;
  // After the command name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  let ticks = Number(f[11]) + Number(f[12]);
  if (withChildren) ticks += Number(f[13]) + Number(f[14]);
  return { cpuSeconds: ticks / ticksPerSecond(), rssBytes: statusKb(pid, 'VmRSS'), hwmBytes: statusKb(pid, 'VmHWM') };
}

/** Pids whose parent is `ppid`. */
export function childrenOf(ppid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f && Number(f[1]) === ppid) pids.push(Number(name));
  }
  return pids;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * A PostgreSQL cluster: the postmaster with its reaped children plus its live backends. RSS is
 * the sum of the backends' private memory (RssAnon): shared buffers would be counted once per
 * backend otherwise.
 */
export function readPostgres(postmasterPid: number): ProcReading | undefined {
  const main = readProcess(postmasterPid, true);
  if (!main) return undefined;
  let cpuSeconds = main.cpuSeconds;
  let rssBytes = statusKb(postmasterPid, 'RssAnon');
  for (const pid of childrenOf(postmasterPid)) {
    const child = readProcess(pid);
    if (!child) continue;
    cpuSeconds += child.cpuSeconds;
    rssBytes += statusKb(pid, 'RssAnon');
  }
  return { cpuSeconds, rssBytes, hwmBytes: rssBytes };
}

/** The whole machine's CPU time so far (all processes, ours or not), from /proc/stat. */
export function readMachine(): ProcReading | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const busy = cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!;
    const available = Number(/^MemAvailable:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) * 1024;
    const total = Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) * 1024;
    return { cpuSeconds: busy / ticksPerSecond(), rssBytes: total - available, hwmBytes: total - available };
  } catch {
    return undefined;
  }
}
