import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RosterMetrics } from './roster-metrics.js';

/** Garbage collections while `work` runs, as an observer of every entry sees them. */
async function collectionsDuring(work: () => void): Promise<PerformanceEntry[]> {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  work();
  await sleep(200);
  observer.disconnect();
  return seen;
}

/** Many minor collections in one synchronous stretch, which V8 then reports to observers together. */
function allocateInOneStretch(): void {
  let kept: { index: number }[] = [];
  for (let index = 0; index < 4_000_000; index++) {
    kept.push({ index });
    if (kept.length === 100_000) kept = [];
  }
}

async function histogramCount(metrics: RosterMetrics, name: string): Promise<number> {
  const text = await metrics.registry.getSingleMetricAsString(name);
  return [...text.matchAll(/_count\{[^}]*\} (\d+)/g)].reduce((sum, match) => sum + Number(match[1]), 0);
}

describe('RosterMetrics: garbage collection pauses', () => {
  it('counts every collection, also those reported together, with its kind', async () => {
    const metrics = new RosterMetrics('spec');
    const seen = await collectionsDuring(allocateInOneStretch);
    expect(seen.length).toBeGreaterThan(5);
    expect(await histogramCount(metrics, 'roster_gc_pause_seconds')).toBeGreaterThanOrEqual(seen.length);
    expect(await metrics.registry.getSingleMetricAsString('roster_gc_pause_seconds')).toMatch(/kind="minor"/);
  });

  it("is needed: prom-client's nodejs_gc_duration_seconds misses collections reported together", async () => {
    const metrics = new RosterMetrics('spec');
    const seen = await collectionsDuring(allocateInOneStretch);
    expect(await histogramCount(metrics, 'nodejs_gc_duration_seconds')).toBeLessThan(seen.length);
  });
});
