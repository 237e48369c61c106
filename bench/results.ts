import type { VisibilityIndexes } from '../dev/dev-server-visibility-indexes';
import type { BacklogResult } from './backlog';
import type { BaselineResult } from './baseline-load';
import type { FloorResult } from './floor-load';
import type { HeraldLoadResult } from './herald-load';
import type { HistoryCounts, LatencyBreakdown } from './history';
import type { MachineInfo } from './machine';
import type { ProcessUsage } from './sampler';

/** The JSON written to --out. Phases that were skipped or failed are null. */
export interface BenchResults {
  started_at: string;
  config: {
    events: number;
    endpoints: number;
    backlog: number;
    concurrency: number;
    half_seconds: number;
    /** Diagnostics only: anything but `file` and no extra flags is not the server `npm start` runs. */
    temporal_db: 'file' | 'memory';
    dev_visibility_indexes: VisibilityIndexes;
    dev_server_args: string[];
    topology: 'separate' | 'single';
    temporal: 'dev' | 'cluster';
    workers: number;
    workflow_bundle: 'prebuilt' | 'at-start';
  };
  machine: MachineInfo;
  database: 'local' | 'embedded';
  herald: HeraldLoadResult | null;
  half_load: HeraldLoadResult | null;
  baseline: BaselineResult | null;
  ratio: number | null;
  /** Baseline CPU ms per workflow / Herald CPU ms per delivery, all processes: robust to other load. */
  ratio_cpu: number | null;
  /** The design floor: a workflow whose one local activity POSTs, started eagerly in the worker's process. */
  floor: FloorResult | null;
  /** Herald deliveries/s ÷ floor workflows/s. */
  ratio_floor: number | null;
  backlog: Omit<BacklogResult, 'processes_waiting' | 'processes_draining'> | null;
  history: { herald: HistoryCounts | null; baseline: HistoryCounts | null };
  /** Bare workflows paced like Herald's half load: the latency floor of the server itself. */
  half_load_baseline: BaselineResult | null;
  /** Where publish-to-receipt time goes at half load, from workflow history timestamps. */
  latency_breakdown_ms: { herald_half_load: LatencyBreakdown | null; baseline_half_load: LatencyBreakdown | null };
  /** Per phase, per process: CPU and memory. */
  processes: Record<string, Record<string, ProcessUsage>>;
  /** CPU ms per delivery (herald full load) and per workflow (baseline), by process. */
  cpu_ms_per_delivery: { herald?: Record<string, number>; baseline?: Record<string, number>; floor?: Record<string, number> };
  errors: string[];
}
