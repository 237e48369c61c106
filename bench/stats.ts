export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Nearest-rank percentiles of a sample, in the sample's unit, rounded to 0.1. */
export function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => round1(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  return { p50: at(50), p90: at(90), p99: at(99), max: round1(sorted[sorted.length - 1]!) };
}

/** Items per second over a span given in milliseconds. */
export function perSecond(count: number, spanMs: number): number {
  return spanMs > 0 ? round1((count * 1000) / spanMs) : 0;
}
