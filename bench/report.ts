/** Formatting shared by the benchmark sections. */
export const fixed = (value: number, digits = 1) => value.toFixed(digits);

export function row(result: { count: number; errors: number; perSecond: number; p50Ms: number; p99Ms: number; maxMs: number }) {
  return {
    requests: result.count,
    errors: result.errors,
    'per second': Math.round(result.perSecond),
    'p50 ms': Number(fixed(result.p50Ms, 2)),
    'p99 ms': Number(fixed(result.p99Ms, 2)),
    'max ms': Number(fixed(result.maxMs, 2)),
  };
}
