import type { Stack } from '#roster/testkit';

export type GcPauses = Record<string, { count: number; seconds: number; overTenMs: number }>;

/** How long a service stood still over a stretch of a benchmark, from its /metrics. */
export type ServicePauses = {
  /** Garbage collections by kind (minor, major, incremental, weakcb): how many, their time, how many took > 10 ms. */
  gc: GcPauses;
  /** How late the event loop ran prom-client's 10 ms sampling timer: at worst, and at the 99th percentile. */
  eventLoopLateMaxMs: number;
  eventLoopLateP99Ms: number;
};

/** Every running service's /metrics text. Scraping also resets prom-client's event-loop delay histogram. */
export async function scrapeServices(stack: Stack): Promise<Map<string, string>> {
  const scraped = new Map<string, string>();
  for (const name of stack.services.keys()) {
    if (!stack.isRunning(name)) continue;
    scraped.set(name, await fetch(`${stack.serviceUrl(name)}/metrics`).then((response) => response.text()));
  }
  return scraped;
}

/** Each service's pauses between two scrapes of `scrapeServices`. */
export function pausesBetween(before: Map<string, string>, after: Map<string, string>): Record<string, ServicePauses> {
  const pauses: Record<string, ServicePauses> = {};
  for (const [name, metrics] of after) {
    const earlier = gcPauses(before.get(name) ?? '');
    const gc: GcPauses = {};
    for (const [kind, now] of Object.entries(gcPauses(metrics))) {
      const then = earlier[kind] ?? { count: 0, seconds: 0, overTenMs: 0 };
      gc[kind] = { count: now.count - then.count, seconds: now.seconds - then.seconds, overTenMs: now.overTenMs - then.overTenMs };
    }
    pauses[name] = { gc, eventLoopLateMaxMs: lateness(metrics, 'max'), eventLoopLateP99Ms: lateness(metrics, 'p99') };
  }
  return pauses;
}

/** Garbage collections by kind since the process started, from Roster's `roster_gc_pause_seconds` histogram. */
export function gcPauses(metrics: string): GcPauses {
  const result: GcPauses = {};
  const entry = (kind: string) => (result[kind] ??= { count: 0, seconds: 0, overTenMs: 0 });
  const upToTenMs = new Map<string, number>();
  for (const [, part, labels, value] of metrics.matchAll(/^roster_gc_pause_seconds_(count|sum|bucket)\{([^}]*)\} ([\d.e+-]+)$/gm)) {
    const kind = /kind="(\w+)"/.exec(labels)?.[1];
    if (!kind) continue;
    if (part === 'count') entry(kind).count = Number(value);
    else if (part === 'sum') entry(kind).seconds = Number(value);
    else if (/le="0\.01"/.test(labels)) upToTenMs.set(kind, Number(value));
  }
  for (const [kind, pauses] of Object.entries(result)) pauses.overTenMs = pauses.count - (upToTenMs.get(kind) ?? 0);
  return result;
}

// prom-client samples the event loop with a timer of this period (its default), and reports the periods it saw.
const EVENT_LOOP_SAMPLING_MS = 10;

function lateness(metrics: string, statistic: 'max' | 'p99'): number {
  const seconds = new RegExp(`^\\w*nodejs_eventloop_lag_${statistic}_seconds(?:\\{[^}]*\\})? ([\\d.e+-]+)$`, 'm').exec(metrics)?.[1];
  return seconds === undefined ? NaN : Math.max(0, 1000 * Number(seconds) - EVENT_LOOP_SAMPLING_MS);
}
