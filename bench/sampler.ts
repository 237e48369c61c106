// Samples the CPU and memory of every process in the benchmark, per phase.
import type { ProcReading } from './proc-stats';

export interface ProcessUsage {
  /** Average CPU over the window, in % of one core (200 = both cores of a 2-core machine). */
  cpu_percent: number;
  cpu_seconds: number;
  /** Highest RSS seen by the sampler during the window. */
  peak_rss_mb: number;
  /** The kernel's peak RSS since the process started (VmHWM), at the end of the window. */
  hwm_mb: number;
}

interface Target {
  name: string;
  read(): ProcReading | undefined;
}

interface Window {
  startedAt: number;
  start: Map<string, ProcReading>;
  peakRss: Map<string, number>;
}

const MB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;

export function createSampler(intervalMs = 500) {
  const targets: Target[] = [];
  const windows = new Set<Window>();
  const timer = setInterval(tick, intervalMs);
  timer.unref();

  function tick(): void {
    for (const target of targets) {
      const reading = target.read();
      if (!reading) continue;
      for (const w of windows) w.peakRss.set(target.name, Math.max(w.peakRss.get(target.name) ?? 0, reading.rssBytes));
    }
  }

  return {
    add(name: string, read: () => ProcReading | undefined): void {
      targets.push({ name, read });
    },

    /** Starts measuring; the returned function ends the window and reports each process. */
    window(): () => Record<string, ProcessUsage> {
      const w: Window = { startedAt: performance.now(), start: new Map(), peakRss: new Map() };
      for (const t of targets) {
        const r = t.read();
        if (r) w.start.set(t.name, r);
      }
      windows.add(w);
      return () => {
        tick();
        windows.delete(w);
        const seconds = (performance.now() - w.startedAt) / 1000;
        const usage: Record<string, ProcessUsage> = {};
        for (const t of targets) {
          const end = t.read();
          const start = w.start.get(t.name);
          if (!end || !start) continue;
          const cpu = Math.max(0, end.cpuSeconds - start.cpuSeconds);
          usage[t.name] = {
            cpu_percent: round1((cpu / Math.max(seconds, 1e-3)) * 100),
            cpu_seconds: Math.round(cpu * 1000) / 1000,
            peak_rss_mb: round1((w.peakRss.get(t.name) ?? end.rssBytes) / MB),
            hwm_mb: round1(end.hwmBytes / MB),
          };
        }
        return usage;
      };
    },

    /** The current RSS of one process, in MB. */
    rssMb(name: string): number | undefined {
      const r = targets.find((t) => t.name === name)?.read();
      return r && round1(r.rssBytes / MB);
    },

    stop(): void {
      clearInterval(timer);
    },
  };
}

export type Sampler = ReturnType<typeof createSampler>;
