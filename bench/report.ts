// The readable end of a run: the headline figures, then CPU and memory per process and phase.
import type { BenchResults } from './results';
import type { ProcessUsage } from './sampler';
import type { Percentiles } from './stats';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   ')).join('\n');
}

const pct = (p: Percentiles | null | undefined) => (p ? `${p.p50} / ${p.p90} / ${p.p99}` : '-');
const num = (n: number | null | undefined) => (n == null ? '-' : String(n));

export function formatReport(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    '',
    `Herald benchmark: ${r.config.events} events x ${r.config.endpoints} endpoints, backlog ${r.config.backlog}`,
    `${m.cpus} x ${m.model}, ${m.memory_gb} GB, Node ${m.node}, Temporal ${m.temporal}, PostgreSQL ${r.database} (${m.postgres.split(' ').slice(0, 2).join(' ')})`,
    `topology ${r.config.topology}${r.config.topology === 'separate' ? ` (${r.config.workers} worker process${r.config.workers > 1 ? 'es' : ''})` : ''}, Temporal ${r.config.temporal}`,
  ];
  if (r.config.temporal_db !== 'file' || r.config.dev_server_args.length > 0) {
    lines.push(`Temporal dev server changed for diagnosis: db ${r.config.temporal_db} ${r.config.dev_server_args.join(' ')}`);
  }
  if (r.config.dev_visibility_indexes === 'all') lines.push('Temporal dev server with all of its visibility indexes, for comparison');
  if (r.config.workflow_bundle === 'at-start') lines.push('workers bundle the workflow sources as they start, for comparison (no prebuilt bundle)');
  lines.push('');
  const h = r.herald;
  const half = r.half_load;
  const b = r.baseline;
  const bl = r.backlog;
  lines.push(
    table([
      ['figure', 'value'],
      ['herald events accepted /s', num(h?.events_per_s)],
      ['herald deliveries /s (publish -> receiver 2xx)', num(h?.deliveries_per_s)],
      ['latency at full load p50 / p90 / p99 ms', pct(h?.latency_ms)],
      ['POST /v1/events at full load p50 / p90 / p99 ms', pct(h?.publish_ms)],
      [`latency at half load (${num(half?.target_events_per_s)} events/s) p50 / p90 / p99 ms`, pct(half?.latency_ms)],
      ['bare workflow at the same pace p50 / p90 / p99 ms', pct(r.half_load_baseline?.latency_ms)],
      ['baseline workflows /s (bare workflow + activity POST)', num(b?.workflows_per_s)],
      ['ratio herald / baseline', num(r.ratio ?? undefined)],
      ['ratio by CPU per delivery (baseline / herald)', num(r.ratio_cpu ?? undefined)],
      ['design floor workflows /s (local activity POST, eager start)', num(r.floor?.workflows_per_s)],
      ['ratio_floor herald / floor', num(r.ratio_floor ?? undefined)],
      ['history events per delivery (herald / baseline)', `${num(r.history.herald?.events_per_workflow)} / ${num(r.history.baseline?.events_per_workflow)}`],
      ['backlog deliveries waiting on timers', num(bl?.deliveries)],
      ['backlog worker RSS while waiting MB', num(bl?.worker_rss_mb)],
      ['backlog drain /s', num(bl?.drain_per_s)],
    ]),
  );
  const phases = Object.entries(r.processes).filter(([, usage]) => Object.keys(usage).length > 0);
  if (phases.length > 0) {
    const names = [...new Set(phases.flatMap(([, usage]) => Object.keys(usage)))];
    const cell = (u: ProcessUsage | undefined) => (u ? `${u.cpu_percent}% ${u.peak_rss_mb}MB` : '-');
    lines.push('', 'CPU (% of one core) and peak RSS per process and phase', table([['process', ...phases.map(([p]) => p)], ...names.map((n) => [n, ...phases.map(([, usage]) => cell(usage[n]))])]));
  }
  const hb = r.latency_breakdown_ms;
  if (hb.herald_half_load || hb.baseline_half_load) {
    const steps = ['publish_to_workflow_start', 'workflow_start_to_first_task', 'task_start_to_receipt', 'first_task', 'task_to_activity_start', 'activity_start_to_receipt'] as const;
    lines.push(
      '',
      'Where the time goes at half load (mean ms, from workflow histories)',
      table([['step', 'herald', 'bare workflow'], ...steps.map((k) => [k.replace(/_/g, ' '), num(hb.herald_half_load?.[k]), num(hb.baseline_half_load?.[k])])]),
    );
  }
  const perDelivery = r.cpu_ms_per_delivery;
  if (perDelivery.herald || perDelivery.baseline || perDelivery.floor) {
    const names = [...new Set([...Object.keys(perDelivery.herald ?? {}), ...Object.keys(perDelivery.baseline ?? {}), ...Object.keys(perDelivery.floor ?? {})])];
    // What a delivery costs the service itself: not the load generator, the receiver or the machine.
    const service = (name: string) => ['api', 'herald', 'baseline-worker', 'floor', 'temporal', 'postgres'].includes(name) || name.startsWith('worker');
    const total = (m: Record<string, number> | undefined) =>
      m ? String(Math.round(Object.entries(m).filter(([n]) => service(n)).reduce((a, [, v]) => a + v, 0) * 10) / 10) : '-';
    lines.push(
      '',
      'CPU ms per delivery (herald full load) and per workflow (baseline, floor)',
      table([
        ['process', 'herald', 'baseline', 'floor'],
        ...names.map((n) => [n, num(perDelivery.herald?.[n]), num(perDelivery.baseline?.[n]), num(perDelivery.floor?.[n])]),
        ['service (herald, temporal, postgres)', total(perDelivery.herald), total(perDelivery.baseline), total(perDelivery.floor)],
      ]),
    );
  }
  const problems = [h, half, b, r.floor, bl].filter((x) => x?.timed_out).length;
  if (problems > 0) lines.push('', `WARNING: ${problems} phase(s) did not complete before their deadline; see "timed_out" in the JSON.`);
  return lines.join('\n');
}
